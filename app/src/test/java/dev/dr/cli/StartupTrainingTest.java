package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The start-up cache's training run trains on the plans dr ships, and each of its commands succeeds. */
class StartupTrainingTest {

    private static final Path PLANS = CliProcess.projectDir().resolve("plans");

    @Test
    void itsCopyOfThePlansIsThePlansFolder() throws Exception {
        try (Stream<Path> files = Files.walk(PLANS)) {
            List<String> shipped = files.filter(Files::isRegularFile).map(p -> PLANS.relativize(p).toString()).sorted().toList();
            assertThat(StartupTraining.FILES).isEqualTo(shipped);
        }
        for (String f : StartupTraining.FILES) {
            try (var in = StartupTraining.class.getClassLoader().getResourceAsStream(StartupTraining.PLANS + f)) {
                assertThat(in).as(f + " on the class path").isNotNull();
                assertThat(in.readAllBytes()).as(f).isEqualTo(Files.readAllBytes(PLANS.resolve(f)));
            }
        }
    }

    @Test
    void everyTrainingCommandSucceedsOffline() {
        for (List<String> command : StartupTraining.commands()) {
            StringWriter err = new StringWriter();
            PrintWriter discard = new PrintWriter(new StringWriter());
            int code = Main.run(new Context(discard, new PrintWriter(err, true), Map.of(), CliProcess.projectDir(), false),
                    command.toArray(String[]::new));
            assertThat(code).as("dr %s: %s", String.join(" ", command), err).isZero();
        }
    }
}

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
import org.junit.jupiter.api.io.TempDir;

/** The start-up cache's training runs train on the plans dr ships, and each of their commands ends as it should. */
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
    void everyTrainingCommandEndsAsItShouldOffline(@TempDir Path dir) throws Exception {
        StartupTraining.setUp(dir);
        int closed = StartupTraining.closedPort();
        List<StartupTraining.Command> previews = StartupTraining.commands("", closed);
        List<StartupTraining.Command> s3 = StartupTraining.commands(StartupTraining.S3, closed);
        assertThat(previews).allMatch(c -> c.exit() == 0);
        assertThat(s3).startsWith(previews.toArray(StartupTraining.Command[]::new)).hasSize(previews.size() + 1);
        assertThat(s3.get(s3.size() - 1).argv()).startsWith("bundle", "publish");
        for (StartupTraining.Command command : s3) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new Context(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), dir, false),
                    command.argv().toArray(String[]::new));
            assertThat(code).as("dr %s: %s", String.join(" ", command.argv()), err).isEqualTo(command.exit());
            if (command.argv().get(0).equals("bundle")) {
                // the S3 family's publish builds the whole bundle, then finds no server where the pointer is read
                assertThat(code).isEqualTo(1);
                assertThat(out.toString()).contains("Bundle: 200 files");
                assertThat(err.toString()).contains("control-plane/current.json").contains("Connection refused");
            }
        }
    }
}

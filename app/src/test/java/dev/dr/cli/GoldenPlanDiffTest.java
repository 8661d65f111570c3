package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The plan-diff of every plan in plans/, in text, Markdown and JSON, compared byte for byte
 * with the golden files; then the same through a separate JVM in a far time zone and the
 * Turkish locale (dotted and dotless i break naive case changes). Run with
 * {@code -Ddr.updateGoldens=true} to rewrite the golden files after an intended change.
 */
class GoldenPlanDiffTest {

    static final Path GOLDEN = CliProcess.projectDir().resolve("app/src/test/resources/golden");
    static final List<String> FORMATS = List.of("text", "markdown", "json");

    static List<String> plans() throws IOException {
        try (Stream<Path> s = Files.list(CliProcess.projectDir().resolve("plans"))) {
            return s.filter(p -> p.toString().endsWith(".yaml"))
                    .map(p -> "plans/" + p.getFileName()).sorted().toList();
        }
    }

    static Path golden(String plan, String format) {
        String name = Path.of(plan).getFileName().toString().replace(".yaml", "");
        String ext = switch (format) {
            case "markdown" -> ".md";
            case "json" -> ".json";
            default -> ".txt";
        };
        return GOLDEN.resolve(name + ext);
    }

    static String inProcess(String... args) {
        DrRun r = DrRun.inProject(Map.of(), args);
        assertThat(r.exit()).as("exit code of dr %s; stderr: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    @TestFactory
    List<DynamicTest> everyPlanMatchesItsGoldenFiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String plan : plans()) {
            for (String format : FORMATS) {
                tests.add(DynamicTest.dynamicTest(plan + " as " + format, () -> {
                    String actual = inProcess("plan", plan, "--format", format);
                    Goldens.assertMatches(golden(plan, format), actual);
                }));
            }
        }
        return tests;
    }

    @Test
    void sameBytesInAnotherTimeZoneAndLocaleInAFreshJvm() throws Exception {
        Map<String, String> env = Goldens.FOREIGN_ENV;
        List<String> jvm = Goldens.FOREIGN_JVM;
        for (String plan : plans()) {
            for (String format : FORMATS) {
                CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), env, jvm, "plan", plan, "--format", format);
                assertThat(r.exit()).as("exit of %s; stderr %s", plan, r.err()).isZero();
                assertThat(r.out()).as("%s as %s under TZ=Pacific/Chatham LANG=tr_TR.UTF-8", plan, format)
                        .isEqualTo(Files.readString(golden(plan, format), StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void repeatedRunsGiveTheSameBytes() {
        for (String format : FORMATS) {
            assertThat(inProcess("plan", "plans/full-drill.yaml", "--format", format))
                    .isEqualTo(inProcess("plan", "plans/full-drill.yaml", "--format", format));
        }
    }
}

package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The change-ticket document ({@code dr plan FILE --format markdown --ticket ID}) of every plan
 * in plans/, and of a few command lines that reach the promotion gate, compared byte for byte
 * with golden files; then again in a fresh JVM in a far time zone and the Turkish locale.
 * Run with {@code -Ddr.updateGoldens=true} to rewrite them after an intended change.
 */
class GoldenTicketTest {

    static final Path GOLDEN = GoldenPlanDiffTest.GOLDEN.resolve("ticket");

    /** A golden file, the environment of the run, and the command line. */
    record Case(String golden, Map<String, String> env, List<String> args) {}

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String plan : GoldenPlanDiffTest.plans()) {
            String name = Path.of(plan).getFileName().toString().replace(".yaml", "");
            cases.add(new Case(name + ".md", Map.of(), List.of("plan", plan, "--format", "markdown", "--ticket", "CHG-1234")));
        }
        // the promotion gate reached: an approval by dr approve, then the drill bypass
        cases.add(new Case("full-drill-promote.md", Map.of(),
                List.of("plan", "plans/full-drill.yaml", "--auto-promote", "--ticket", "CHG-1234")));
        cases.add(new Case("full-drill-promote-bypass.md", Map.of(),
                List.of("plan", "plans/full-drill.yaml", "--auto-promote", "--allow-promote-bypass", "--ticket", "CHG-1234")));
        // the plan runs under the same ticket, with every variable set: a final document
        cases.add(new Case("validate-only-final.md", Map.of("CHANGE_TICKET", "CHG-1234",
                "BACKUP_URI", "s3://dr-artifacts/jobintel/backups/20261128T0300Z",
                "IMAGE_REF", "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:"
                        + "4f1c0a5b2e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b",
                "BUCKET", "dr-artifacts"),
                List.of("plan", "plans/validate-only.yaml", "--format", "markdown", "--ticket", "CHG-1234")));
        return cases;
    }

    static String inProcess(Map<String, String> env, List<String> args) {
        DrRun r = DrRun.inProject(env, args.toArray(String[]::new));
        assertThat(r.exit()).as("exit code of dr %s; stderr: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    @TestFactory
    List<DynamicTest> everyTicketDocumentMatchesItsGoldenFile() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases()) {
            tests.add(DynamicTest.dynamicTest(c.golden(), () -> {
                String actual = inProcess(c.env(), c.args());
                Goldens.assertMatches(GOLDEN.resolve(c.golden()), actual);
            }));
        }
        return tests;
    }

    @Test
    void sameBytesInAnotherTimeZoneAndLocaleInAFreshJvm() throws Exception {
        List<String> jvm = Goldens.FOREIGN_JVM;
        for (Case c : cases()) {
            Map<String, String> env = new java.util.TreeMap<>(c.env());
            env.putAll(Map.of("TZ", "Pacific/Chatham", "LANG", "tr_TR.UTF-8", "LC_ALL", "tr_TR.UTF-8"));
            CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), env, jvm, c.args().toArray(String[]::new));
            assertThat(r.exit()).as("exit of %s; stderr %s", c.args(), r.err()).isZero();
            assertThat(r.out()).as("%s under TZ=Pacific/Chatham LANG=tr_TR.UTF-8", c.golden())
                    .isEqualTo(Files.readString(GOLDEN.resolve(c.golden()), StandardCharsets.UTF_8));
        }
    }
}

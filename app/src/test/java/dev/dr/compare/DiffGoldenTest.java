package dev.dr.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.cli.DrRun;
import dev.dr.cli.Goldens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * dr diff of the fixture plans, each a single kind of change against stop-after-validate.yaml,
 * in text, Markdown and JSON, compared byte for byte with golden files (rewrite them with
 * {@code -Ddr.updateGoldens=true} after an intended change); then what each case must and must
 * not report, asserted on the JSON document, so a golden file cannot quietly bless a wrong diff.
 */
class DiffGoldenTest {

    static final Path FIXTURES = CliProcess.projectDir().resolve("app/src/test/resources/dr/plandiff-compare");
    static final Path GOLDEN = FIXTURES.resolve("golden");
    static final List<String> FORMATS = List.of("text", "markdown", "json");
    static final String OLD = "stop-after-validate.yaml";
    static final Map<String, String> SECRETS = Map.of("OLD_JOB_TOKEN", "s3cr3t-old-value",
            "NEW_JOB_TOKEN", "s3cr3t-new-value");

    /** A comparison: its golden name, the two files and the environment both sides see. */
    record Case(String name, String old, String neu, Map<String, String> env) {}

    static final List<Case> CASES = List.of(
            new Case("stop-after", OLD, "stop-after-promote.yaml", Map.of()),
            new Case("sizing", OLD, "sizing.yaml", Map.of()),
            new Case("retry", OLD, "retry.yaml", Map.of()),
            new Case("steps", OLD, "steps.yaml", Map.of()),
            new Case("guards", OLD, "guards.yaml", Map.of()),
            new Case("target", OLD, "target.yaml", Map.of()),
            new Case("identical", OLD, "identical-copy.yaml", Map.of()),
            new Case("sensitive", "secret-old.yaml", "secret-new.yaml", SECRETS));

    /** dr in the fixtures folder, so files are named as there (stop-after-validate.yaml). */
    static DrRun fixtures(Map<String, String> env, String... args) {
        return DrRun.in(FIXTURES, env, args);
    }

    static DrRun diff(Case c, String format) {
        return fixtures(c.env(), "diff", c.old(), c.neu(), "--format", format);
    }

    static JsonNode json(Case c) {
        DrRun r = diff(c, "json");
        assertThat(r.exit()).as("exit of %s; stderr %s", c.name(), r.err()).isZero();
        return JsonMapper.builder().build().readTree(r.out());
    }

    static Case named(String name) {
        return CASES.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    static Path golden(String name, String format) {
        return GOLDEN.resolve(name + switch (format) {
            case "markdown" -> ".md";
            case "json" -> ".json";
            default -> ".txt";
        });
    }

    @TestFactory
    List<DynamicTest> everyCaseMatchesItsGoldenFiles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : CASES) {
            for (String format : FORMATS) {
                tests.add(DynamicTest.dynamicTest(c.name() + " as " + format, () -> {
                    DrRun r = diff(c, format);
                    assertThat(r.exit()).as("exit; stderr: %s", r.err()).isZero();
                    assertThat(r.err()).isEmpty();
                    Goldens.assertMatches(golden(c.name(), format), r.out());
                }));
            }
        }
        return tests;
    }

    /** The definition of done: only stopAfter differs, and that is what is reported. */
    @Test
    void onlyStopAfterDiffersAndExactlyThatIsReported() {
        JsonNode d = json(named("stop-after"));
        List<String> changes = new ArrayList<>();
        d.get("changes").forEach(c -> changes.add(c.get("section").asString() + " " + c.get("change").asString() + " "
                + (c.get("phase").isNull() ? "" : c.get("phase").asString() + " ")
                + (c.get("guard").isNull() ? "" : c.get("guard").asString() + " ") + c.get("field").asString()
                + " " + c.get("before") + " -> " + c.get("after")));
        assertThat(changes).containsExactly(
                "run changed run.stopAfter \"validate\" -> \"promote\"",
                "phases changed promote decision \"skip: after-stop-after\" -> \"run\"",
                "guards added promote-approval  null -> {\"check\":\"promotion is approved with dr approve, or a drill"
                        + " bypass is recorded\",\"detail\":\"waits for dr approve\",\"verdict\":\"at-apply\"}");
        assertThat(d.get("changes").get(1).get("detail").asString()).isEqualTo("now runs: pointers.promote; worst case 4h10m");
        assertThat(d.get("summary").get("old").get("worstCase").asString()).isEqualTo("1h30m45s");
        assertThat(d.get("summary").get("new").get("worstCase").asString()).isEqualTo("5h40m45s");
        assertThat(d.get("summary").get("targetChanged").asBoolean()).isFalse();
        assertThat(d.get("old").get("planDigest").asString()).isNotEqualTo(d.get("new").get("planDigest").asString());
    }

    @Test
    void eachCaseReportsItsOwnKindOfChangeAndNothingElse() {
        assertThat(fields(json(named("sizing")))).containsExactly("sizing.instanceType", "sizing.validateJob.limits.memory");
        assertThat(fields(json(named("retry")))).containsExactly("validate timeout", "validate retry.backoff.initial",
                "validate retry.maxAttempts", "validate retry.retryOn", "validate retry.worstCase");
        assertThat(fields(json(named("steps")))).containsExactly("restore/ecr.pull-secret added", "restore order",
                "restore/k8s.apply with.path", "restore/k8s.apply changes", "teardown/ec2.verify-no-runners removed");
        assertThat(fields(json(named("guards")))).containsExactly("run.startAt", "bringup decision", "guard instance-arch added");
        JsonNode target = json(named("target"));
        assertThat(target.get("summary").get("targetChanged").asBoolean()).isTrue();
        assertThat(target.get("changes").valueStream().filter(c -> c.get("loud").asBoolean())
                .map(c -> c.get("field").asString())).containsExactly("target.namespace", "target.region");
        JsonNode same = json(named("identical"));
        assertThat(same.get("changes")).isEmpty();
        assertThat(same.get("summary").get("hasChanges").asBoolean()).isFalse();
        // the planDigest covers the file name too: the same file on both sides has the same digest
        JsonNode self = JsonMapper.builder().build().readTree(fixtures(Map.of(), "diff", OLD, OLD, "--format", "json").out());
        assertThat(self.get("changes")).isEmpty();
        assertThat(self.get("old").get("planDigest")).isEqualTo(self.get("new").get("planDigest"));
    }

    static List<String> fields(JsonNode d) {
        List<String> out = new ArrayList<>();
        for (JsonNode c : d.get("changes")) {
            String where = c.get("phase").isNull() ? "" : c.get("phase").asString()
                    + (c.get("step").isNull() ? "" : "/" + c.get("step").asString()) + " ";
            String what = c.get("field").asString().isEmpty() ? c.get("change").asString() : c.get("field").asString();
            out.add(c.get("guard").isNull() ? where + what : "guard " + c.get("guard").asString() + " " + what);
        }
        return out;
    }

    @Test
    void aSensitiveValueThatChangesIsReportedButNeverPrinted() {
        for (String format : FORMATS) {
            DrRun r = diff(named("sensitive"), format);
            assertThat(r.out() + r.err()).doesNotContain("s3cr3t");
            assertThat(r.out()).contains("(sensitive value)");
        }
        JsonNode d = json(named("sensitive"));
        assertThat(d.get("changes").get(0).get("detail").asString()).isEqualTo("the sensitive value changed");
    }

    @Test
    void detailedExitcodeIsTenWithChangesAndZeroWithout() {
        assertThat(fixtures(Map.of(), "diff", OLD, "stop-after-promote.yaml", "--detailed-exitcode").exit())
                .isEqualTo(10);
        assertThat(fixtures(Map.of(), "diff", OLD, "stop-after-promote.yaml").exit()).isZero();
        assertThat(fixtures(Map.of(), "diff", OLD, "identical-copy.yaml", "--detailed-exitcode").exit()).isZero();
        assertThat(fixtures(Map.of(), "diff", OLD, OLD, "--detailed-exitcode").exit()).isZero();
    }

    @Test
    void anInvalidSideExitsTwoWithItsProblemsAndNothingOnStdout() {
        DrRun neu = fixtures(Map.of(), "diff", OLD, "invalid.yaml", "--detailed-exitcode");
        assertThat(neu.exit()).isEqualTo(2);
        assertThat(neu.out()).isEmpty();
        assertThat(neu.err()).isEqualTo("invalid.yaml:8:14: run.stopAfter: expected one of bringup, restore, validate,"
                + " promote, teardown, failback, publish-bundle; was 'publish'\n"
                + "dr: the new plan, invalid.yaml, is invalid (1 error); nothing was compared\n");
        DrRun old = fixtures(Map.of(), "diff", "invalid.yaml", OLD);
        assertThat(old.exit()).isEqualTo(2);
        assertThat(old.out()).isEmpty();
        assertThat(old.err()).endsWith("dr: the old plan, invalid.yaml, is invalid (1 error); nothing was compared\n");
        DrRun missing = fixtures(Map.of(), "diff", "no-such-plan.yaml", OLD);
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("no-such-plan.yaml: file not found\n"
                + "dr: the old plan, no-such-plan.yaml, is invalid (1 error); nothing was compared\n");
    }

    @Test
    void usageErrorsExitTwo() {
        DrRun one = fixtures(Map.of(), "diff", OLD);
        assertThat(one.exit()).isEqualTo(2);
        assertThat(one.err()).isEqualTo("dr diff: give two plan files, dr diff OLD NEW, or one with --git: dr diff --git REV FILE\n");
        DrRun two = fixtures(Map.of(), "diff", "--git", "HEAD", OLD, OLD);
        assertThat(two.exit()).isEqualTo(2);
        assertThat(two.err()).isEqualTo("dr diff: with --git give one plan file: dr diff --git REV FILE\n");
        assertThat(fixtures(Map.of(), "diff", OLD, OLD, "--format", "html").exit()).isEqualTo(2);
    }

    @Test
    void sameBytesInAnotherTimeZoneAndLocaleInAFreshJvm() throws IOException, InterruptedException {
        Map<String, String> env = Goldens.FOREIGN_ENV;
        List<String> jvm = Goldens.FOREIGN_JVM;
        String dir = "app/src/test/resources/dr/plandiff-compare/";
        for (String format : FORMATS) {
            CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), env, jvm, "diff", dir + OLD,
                    dir + "steps.yaml", "--format", format);
            assertThat(r.exit()).as("stderr %s", r.err()).isZero();
            DrRun here = DrRun.in(CliProcess.projectDir(), Map.of(), "diff", dir + OLD, dir + "steps.yaml",
                    "--format", format);
            assertThat(r.out()).isEqualTo(here.out());
        }
    }
}

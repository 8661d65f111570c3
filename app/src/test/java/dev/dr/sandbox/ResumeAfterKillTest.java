package dev.dr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.CliProcess;
import dev.dr.json.JsonTrees;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox drill as an operator runs it, killed with SIGKILL at a known point, then
 * {@code dr apply --resume}: the resumed run completes the drill, takes over the killed run's
 * lock, adopts (or replaces) its sandbox cluster, and leaves no cluster process and no lock
 * behind. The kill points are holds in the plan (testing.mark) the test waits on, not sleeps.
 */
class ResumeAfterKillTest {

    static final String PLAN = "app/src/test/resources/cli/sandbox-held.yaml";
    static final List<String> PHASES = List.of("bringup", "restore", "validate", "promote", "teardown");

    /** Where the drill is killed, and what happens to its cluster before the resume. */
    enum KillPoint {
        /**
         * Between phases: bringup's receipt is written and restore has applied nothing (its first
         * step is the hold), the state a kill between the two leaves.
         */
        BETWEEN_PHASES("restore-start-held", false),
        /** restore half applied: namespace, ConfigMaps and workloads are in the cluster. */
        MID_RESTORE("restore-mid-held", false),
        /** bringup killed after it started the cluster: the resume adopts that cluster. */
        MID_BRINGUP("bringup-held", false),
        /** the same, and the cluster hangs (SIGSTOP): the resume stops it and starts another. */
        MID_BRINGUP_HUNG_CLUSTER("bringup-held", true);

        final String mark;
        final boolean hang;

        KillPoint(String mark, boolean hang) {
            this.mark = mark;
            this.hang = hang;
        }
    }

    @TempDir
    Path tmp;

    Map<String, String> env() {
        return new HashMap<>(Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "DR_OPERATOR", "tester", "RUN_ID", "killed"));
    }

    static String classpath() throws Exception {
        return CliProcess.classpath(Path.of(CliProcess.classesDir() + File.pathSeparator
                + CliProcess.projectDir().resolve("app/target/test-classes")));
    }

    /** Sandbox clusters started for this test's runs (their folder is under the test's). */
    List<ProcessHandle> clusters() {
        return SandboxProcesses.under(tmp.toString());
    }

    @AfterEach
    void noClusterOutlivesTheTest() {
        clusters().forEach(ProcessHandle::destroyForcibly);
    }

    @ParameterizedTest(name = "SIGKILL {0}, then --resume")
    @EnumSource(KillPoint.class)
    void aDrillKilledThenResumedCompletesAndLeavesNothingRunning(KillPoint at) throws Exception {
        Path run = tmp.resolve("receipts/killed");
        Path work = run.resolve("work");
        Files.createDirectories(work);
        for (String hold : List.of("bringup-held", "restore-start-held", "restore-mid-held")) {
            if (!hold.equals(at.mark)) {
                Files.createFile(work.resolve(release(hold)));
            }
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath(), "dev.dr.cli.Main", "apply", PLAN, "--yes"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(CliProcess.projectDir().toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env());
        Process first = pb.start();
        awaitHold(work.resolve("applied.log"), at.mark, first);
        first.destroyForcibly(); // SIGKILL: no shutdown hook, no receipt of the phase, no release of the lock
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(lockFiles()).as("the killed run left its lock").hasSize(1);
        List<ProcessHandle> left = clusters();
        assertThat(left).as("the killed run left its cluster running").hasSize(1);
        String phase = at.mark.substring(0, at.mark.indexOf('-'));
        assertThat(run.resolve("phases/" + phase + ".json")).as(phase + " never finished").doesNotExist();
        if (at.hang) {
            assertThat(new ProcessBuilder("kill", "-STOP", Long.toString(left.get(0).pid())).start().waitFor()).isZero();
        }
        Files.createFile(work.resolve(release(at.mark)));

        CliProcess.Result resumed = CliProcess.run(Path.of(CliProcess.classesDir() + File.pathSeparator
                + CliProcess.projectDir().resolve("app/target/test-classes")), env(), List.of(),
                "apply", PLAN, "--yes", "--resume", run.toString());
        assertThat(resumed.exit()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("dr: taking over the lock 000000000000/us-east-1/jobintel of run killed (pid "
                + first.pid() + " on ");
        assertThat(resumed.out().indexOf("planDigest:")).as("the fresh plan-diff comes first").isGreaterThan(0)
                .isLessThan(resumed.out().indexOf("Run killed: success"));

        for (String p : PHASES) {
            assertThat(json(run.resolve("phases/" + p + ".json")).get("status").asString()).as(p).isEqualTo("success");
        }
        JsonNode summary = json(run.resolve("drill.summary.json"));
        assertThat(summary.get("verdict").asString()).isEqualTo("success");
        assertThat(summary.get("phases")).hasSize(5);
        String bound = json(run.resolve("run.json")).get("staticDigest").asString();
        assertThat(bound).matches("sha256:[0-9a-f]{64}");
        allReceiptsMatchTheSchemaAndAreBoundTo(run, bound);
        if (phase.equals("restore")) {
            assertThat(resumed.err()).contains("bringup: succeeded before; kept (resume)");
            assertThat(json(run.resolve("phases/restore.json")).get("planDigest").asString())
                    .as("bringup moved the live state the planDigest sees; the static digest stayed")
                    .isNotEqualTo(json(run.resolve("phases/bringup.json")).get("planDigest").asString());
        }
        String bringupLog = Files.readString(run.resolve("phases/bringup.log"));
        if (at == KillPoint.MID_BRINGUP) {
            assertThat(bringupLog).contains("sandbox cluster of this run still up: pid " + left.get(0).pid() + ", adopted");
        }
        if (at.hang) {
            assertThat(bringupLog).contains("sandbox cluster of this run (pid " + left.get(0).pid() + ") does not serve;"
                    + " stopping it");
        }

        assertThat(clusters()).as("teardown stopped the one cluster of the run").isEmpty();
        assertThat(lockFiles()).as("the resumed run released the lock").isEmpty();
    }

    static String release(String hold) {
        return "release-" + hold.substring(0, hold.length() - "-held".length());
    }

    /** Waits until the run reached the hold (it logs its mark there), failing if it ended first. */
    static void awaitHold(Path applied, String mark, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!(Files.exists(applied) && Files.readString(applied).contains(mark))) {
            assertThat(p.isAlive()).as("dr ended before it reached " + mark).isTrue();
            assertThat(System.nanoTime()).as("dr reached " + mark).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    List<Path> lockFiles() throws Exception {
        if (!Files.isDirectory(tmp.resolve("locks"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(tmp.resolve("locks"))) {
            return s.filter(f -> f.getFileName().toString().endsWith(".lock")).toList();
        }
    }

    static JsonNode json(Path p) throws Exception {
        return JsonTrees.read(Files.readString(p, StandardCharsets.UTF_8));
    }

    static void allReceiptsMatchTheSchemaAndAreBoundTo(Path run, String bound) throws Exception {
        var schema = com.networknt.schema.SchemaRegistry.withDefaultDialect(com.networknt.schema.SpecificationVersion.DRAFT_2020_12)
                .getSchema(json(CliProcess.projectDir().resolve("schema/receipt.schema.json")));
        try (Stream<Path> files = Files.walk(run)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json") && !x.startsWith(run.resolve("work"))
                    && !x.startsWith(run.resolve("approvals"))).toList()) {
                if (dev.dr.testing.RunbookReceiptFiles.isRunbookJson(run, f)) {
                    // the runbook's files have their own schema and repeat no run header
                    assertThat(dev.dr.testing.RunbookReceiptFiles.problems(f)).as(f.toString()).isEmpty();
                    continue;
                }
                JsonNode receipt = json(f);
                assertThat(schema.validate(receipt)).as(f.toString()).isEmpty();
                assertThat(receipt.get("staticDigest").asString()).as(f.toString()).isEqualTo(bound);
            }
        }
    }
}

package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.json.JsonTrees;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dr apply killed with SIGKILL in the middle of a phase: the receipts left behind are whole
 * JSON files, and --resume completes the drill without applying a finished phase again.
 */
class KillAndResumeTest {

    static final String PLAN = "runner/src/test/resources/cli/kill-test.yaml";
    static final String LOCK_PLAN = "runner/src/test/resources/cli/lock-test.yaml";

    @TempDir
    Path tmp;

    static Path classes() {
        return Path.of(CliProcess.classesDir() + File.pathSeparator + CliProcess.projectDir().resolve("target/test-classes"));
    }

    /** Starts dr apply of the test plan as its own process (test steps on the class path). */
    Process startApply(Map<String, String> env) throws Exception {
        return startApply(env, PLAN);
    }

    Process startApply(Map<String, String> env, String plan) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", CliProcess.classpath(classes()), "dev.dr.cli.Main", "apply", plan, "--yes"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(CliProcess.projectDir().toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Waits until the run's applied.log names {@code phase}. */
    static void awaitApplied(Path applied, String phase) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(applied) && Files.readString(applied).contains(phase)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "SIGKILL in {0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bringup", "restore", "validate"})
    void sigkillMidPhaseThenResume(String phase) throws Exception {
        Map<String, String> env = Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "RUN_ID", "killed-run", "DR_OPERATOR", "tester");
        Process p = startApply(env);
        Path run = tmp.resolve("receipts/killed-run");
        Path applied = run.resolve("work/applied.log");
        awaitApplied(applied, phase);
        assertThat(Files.readString(applied)).as(Files.readString(tmp.resolve("err.txt"))).contains(phase);
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        p.waitFor(30, TimeUnit.SECONDS);

        try (Stream<Path> s = Files.walk(run)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".json")).toList()) {
                JsonTrees.read(Files.readString(f, StandardCharsets.UTF_8)); // whole JSON, or this throws
            }
        }
        assertThat(run.resolve("phases/" + phase + ".json")).as(phase + " never finished").doesNotExist();

        CliProcess.Result resumed = CliProcess.run(classes(), env, List.of(), "apply", PLAN, "--yes", "--resume", run.toString());
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(ExitCodes.OK);
        List<String> expected = new ArrayList<>();
        for (String each : List.of("bringup", "restore", "validate")) {
            expected.add(each);
            if (each.equals(phase)) {
                expected.add(each); // the killed phase runs again; the finished ones do not
            }
        }
        assertThat(Files.readAllLines(applied)).isEqualTo(expected);
        assertThat(JsonTrees.read(Files.readString(run.resolve("drill.summary.json"))).get("verdict").asString())
                .isEqualTo("success");
    }

    @Test
    void ctrlCMarksThePhaseInterruptedWritesItsReceiptAndReleasesTheLock() throws Exception {
        Process p = startApply(Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "RUN_ID", "ctrl-c", "DR_OPERATOR", "tester"));
        Path run = tmp.resolve("receipts/ctrl-c");
        Path applied = run.resolve("work/applied.log");
        awaitApplied(applied, "restore");
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor(); // what Ctrl-C sends
        } catch (java.io.IOException noKill) {
            p.destroy(); // SIGTERM runs the same shutdown hooks as SIGINT
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(JsonTrees.read(Files.readString(run.resolve("phases/restore.json"))).get("status").asString())
                .isEqualTo("interrupted");
        var summary = JsonTrees.read(Files.readString(run.resolve("drill.summary.json")));
        assertThat(summary.get("verdict").asString()).isEqualTo("interrupted");
        assertThat(summary.get("phases").get(2).get("reason").get("kind").asString()).isEqualTo("upstream-failed");
        try (Stream<Path> locks = Files.list(tmp.resolve("locks"))) {
            assertThat(locks.filter(f -> f.toString().endsWith(".lock"))).as("lock released").isEmpty();
        }
        assertThat(Files.readAllLines(applied)).doesNotContain("validate");
    }

    @Test
    void aSecondApplyOnTheSameTargetWhileOneRunsIsRefused() throws Exception {
        Map<String, String> env = Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "DR_OPERATOR", "alice");
        Map<String, String> firstEnv = new java.util.HashMap<>(env);
        firstEnv.put("RUN_ID", "first-run");
        // The first run holds its restore phase until the release file appears, however slow the machine.
        Process first = startApply(firstEnv, LOCK_PLAN);
        awaitApplied(tmp.resolve("receipts/first-run/work/applied.log"), "restore");
        Map<String, String> second = new java.util.HashMap<>(env);
        second.put("RUN_ID", "second-run");
        second.put("DR_OPERATOR", "bob");
        CliProcess.Result r = CliProcess.run(classes(), second, List.of(), "apply", LOCK_PLAN, "--yes");
        Files.createFile(tmp.resolve("receipts/first-run/work/release"));
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.err()).contains("another drill holds 048622080012/us-east-1/jobintel: run first-run by alice");
        assertThat(tmp.resolve("receipts/second-run")).doesNotExist();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).isZero();
    }
}

package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
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

    static final String PLAN = "app/src/test/resources/cli/kill-test.yaml";
    static final String LOCK_PLAN = "app/src/test/resources/cli/lock-test.yaml";

    @TempDir
    Path tmp;

    static Path classes() {
        return Path.of(CliProcess.classesDir() + File.pathSeparator + CliProcess.projectDir().resolve("app/target/test-classes"));
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

    @Test
    void aResumeRefusedForAChangedPlanPrintsTheCommandThatRerunsOnlyTheUnfinishedPhase() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "RUN_ID", "killed-run", "DR_OPERATOR", "tester"));
        Process p = startApply(env);
        Path run = tmp.resolve("receipts/killed-run");
        awaitApplied(run.resolve("work/applied.log"), "restore");
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        env.put("BUCKET", "another-bucket"); // an input of the plan changed since the run started
        CliProcess.Result refused = CliProcess.run(classes(), env, List.of(), "apply", PLAN, "--yes", "--resume",
                run.toString());
        assertThat(refused.exit()).as(refused.err()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(refused.out()).as("the plan-diff still comes first").contains("planDigest: sha256:");
        assertThat(refused.err()).contains("dr: cannot resume killed-run: it was started under static digest sha256:")
                .contains("Nothing was run.").contains("To rerun only restore with the plan as it is now");
        List<String> lines = refused.err().lines().toList();
        String command = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("To rerun only")).findFirst()
                .orElseThrow()) + 1).strip();
        assertThat(command).isEqualTo("RUN_ID=killed-run-restore-rerun dr apply " + PLAN
                + " --start-at restore --stop-after restore --from-receipt " + run + " --yes");
        assertThat(run.resolve("phases/restore.json")).as("the refusal ran nothing").doesNotExist();

        // the operator runs it as printed
        List<String> words = shellWords(command);
        Map<String, String> rerunEnv = new java.util.HashMap<>(env);
        while (words.get(0).contains("=")) {
            String w = words.remove(0);
            rerunEnv.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        assertThat(words.remove(0)).isEqualTo("dr");
        CliProcess.Result rerun = CliProcess.run(classes(), rerunEnv, List.of(), words.toArray(String[]::new));
        assertThat(rerun.exit()).as(rerun.err()).isEqualTo(ExitCodes.OK);
        assertThat(rerun.err()).contains("dr: taking over the lock 048622080012/us-east-1/jobintel of run killed-run (pid "
                + p.pid() + " on ");
        Path again = tmp.resolve("receipts/killed-run-restore-rerun");
        assertThat(Files.readAllLines(again.resolve("work/applied.log"))).as("only restore ran").containsExactly("restore");
        assertThat(Files.readAllLines(run.resolve("work/applied.log"))).as("the killed run's work is left as it was")
                .containsExactly("bringup", "restore");
        var restore = JsonTrees.read(Files.readString(again.resolve("phases/restore.json")));
        assertThat(restore.get("status").asString()).isEqualTo("success");
        assertThat(restore.get("rerunOf").asString()).isEqualTo("killed-run");
        assertThat(JsonTrees.read(Files.readString(again.resolve("run.json"))).get("fromReceipt").asString())
                .isEqualTo(run.toString());
        assertThat(JsonTrees.read(Files.readString(again.resolve("phases/bringup.json"))).get("reason").get("kind")
                .asString()).isEqualTo("before-start-at");
        assertThat(JsonTrees.read(Files.readString(again.resolve("phases/validate.json"))).get("reason").get("kind")
                .asString()).isEqualTo("after-stop-after");
        try (Stream<Path> locks = Files.list(tmp.resolve("locks"))) {
            assertThat(locks.filter(f -> f.toString().endsWith(".lock"))).as("lock released").isEmpty();
        }
    }

    @Test
    void aResumeLeavesTheLockOfItsRunWhileThatRunStillGoesAndNeverTakesAnotherRunsLock() throws Exception {
        Map<String, String> env = new java.util.HashMap<>(Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "RUN_ID", "going", "DR_OPERATOR", "alice"));
        Process going = startApply(env, LOCK_PLAN);
        Path run = tmp.resolve("receipts/going");
        awaitApplied(run.resolve("work/applied.log"), "restore");
        CliProcess.Result resumed = CliProcess.run(classes(), env, List.of(), "apply", LOCK_PLAN, "--yes", "--resume",
                run.toString());
        assertThat(resumed.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(resumed.err()).contains("dr: run going is still going (pid " + going.pid() + " on ")
                .contains("Nothing was run.");
        going.destroyForcibly(); // now its process is gone, its lock stays
        assertThat(going.waitFor(30, TimeUnit.SECONDS)).isTrue();

        // another run, whose process is gone too, holds the lock: a resume of this run does not take it
        Path lock = tmp.resolve("locks/048622080012_us-east-1_jobintel.lock");
        String record = Files.readString(lock).replace("\"runId\":\"going\"", "\"runId\":\"someone-else\"");
        Files.writeString(lock, record);
        CliProcess.Result other = CliProcess.run(classes(), env, List.of(), "apply", LOCK_PLAN, "--yes", "--resume",
                run.toString());
        assertThat(other.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(other.err()).contains("another drill holds 048622080012/us-east-1/jobintel: run someone-else by alice");
        assertThat(Files.readString(lock)).isEqualTo(record);
    }

    /** The words of a command line as a POSIX shell splits them (plain words and single quotes). */
    static List<String> shellWords(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (char c : line.toCharArray()) {
            if (c == '\'') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString());
        }
        return out;
    }
}

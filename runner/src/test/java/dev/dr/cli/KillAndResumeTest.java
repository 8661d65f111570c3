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

    @TempDir
    Path tmp;

    @Test
    void sigkillMidPhaseThenResume() throws Exception {
        Path classes = Path.of(CliProcess.classesDir() + File.pathSeparator
                + CliProcess.projectDir().resolve("target/test-classes"));
        Map<String, String> env = Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "RUN_ID", "killed-run", "DR_OPERATOR", "tester");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", CliProcess.classpath(classes), "dev.dr.cli.Main", "apply", PLAN, "--yes"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(CliProcess.projectDir().toFile())
                .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        Path run = tmp.resolve("receipts/killed-run");
        Path applied = run.resolve("work/applied.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(applied) && Files.readString(applied).contains("restore")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Files.readString(applied)).as(Files.readString(tmp.resolve("err.txt"))).contains("restore");
        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        p.waitFor(30, TimeUnit.SECONDS);

        try (Stream<Path> s = Files.walk(run)) {
            for (Path f : s.filter(x -> x.toString().endsWith(".json")).toList()) {
                JsonTrees.read(Files.readString(f, StandardCharsets.UTF_8)); // whole JSON, or this throws
            }
        }
        assertThat(run.resolve("phases/bringup.json")).exists();
        assertThat(run.resolve("phases/restore.json")).as("restore never finished").doesNotExist();

        CliProcess.Result resumed = CliProcess.run(classes, env, List.of(), "apply", PLAN, "--yes", "--resume", run.toString());
        assertThat(resumed.exit()).as(resumed.err()).isEqualTo(ExitCodes.OK);
        assertThat(resumed.err()).contains("taking over the lock").contains("bringup: succeeded before; kept (resume)");
        assertThat(Files.readAllLines(applied)).as("bringup applied once; the killed restore again; then validate")
                .containsExactly("bringup", "restore", "restore", "validate");
        assertThat(JsonTrees.read(Files.readString(run.resolve("drill.summary.json"))).get("verdict").asString())
                .isEqualTo("success");
    }
}

package dev.dr.steps.sandbox;

import dev.dr.sandbox.SandboxServer;
import dev.dr.testing.MissingTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's servers as sandbox.up runs them: {@link SandboxServer} in a process of its own on
 * the build's class path, and the command-line tools an operator points at them.
 */
final class RunningSandbox implements AutoCloseable {
    static final String BUCKET = "sandbox-artifacts";

    final Path dir;
    final Process process;

    private RunningSandbox(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static RunningSandbox start(Path dir) throws IOException, InterruptedException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dslf4j.provider=org.slf4j.nop.NOPServiceProvider",
                "-cp", System.getProperty("java.class.path"), SandboxServer.class.getName(), dir.toString(), "600", BUCKET);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sandbox.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve(SandboxFiles.READY))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroy();
                throw new IllegalStateException("the sandbox did not start: " + Files.readString(dir.resolve("sandbox.log")));
            }
            Thread.sleep(50);
        }
        return new RunningSandbox(dir, p);
    }

    String s3Endpoint() throws IOException {
        return Files.readString(dir.resolve(SandboxFiles.S3_ENDPOINT)).trim();
    }

    Path kubeconfig() {
        return dir.resolve(SandboxFiles.KUBECONFIG);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What a tool printed (stdout and stderr together) and its exit code. */
    record Run(int exit, String out) {}

    /**
     * Runs a tool with the given environment changes (a null value removes the variable). A tool
     * that is not installed skips the test here, but fails it in CI, which installs it.
     */
    static Run tool(Path workDir, Map<String, String> env, String hint, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "tool", ".out");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(args))).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw MissingTool.skipOrFail(args[0] + " is not installed (" + hint + ")", e);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not finish within 120s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}

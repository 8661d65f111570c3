package dev.dr.steps.sandbox;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starting and stopping the sandbox cluster process. */
final class SandboxOps {
    static final long START_TIMEOUT_MS = 60_000;
    static final long LIFETIME_SECONDS = 4 * 3600;

    private SandboxOps() {}

    /** Starts the background cluster, waits until it serves, and leaves its kubeconfig in the receipt. */
    static StepResult up(StepContext ctx) throws StepFailure, InterruptedException {
        Path dir = ctx.workDir().resolve("sandbox").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(SandboxFiles.READY));
            Path log = dir.resolve("sandbox.log");
            Files.deleteIfExists(log);
            ClassLoader loader = SandboxOps.class.getClassLoader();
            if (!ServerClasspath.hasServer(loader)) {
                ctx.log("sandbox server: class path of " + ServerClasspath.SCRIPT + " from JBang"
                        + " (the first run downloads its libraries and builds it)");
            }
            String classpath = ServerClasspath.resolve(loader, Path.of(""), log);
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    // S3Proxy's logback is on the class path under JBang (pom.xml excludes it): name
                    // the quiet provider, or logback would log every request at DEBUG.
                    "-Dslf4j.provider=org.slf4j.nop.NOPServiceProvider", "-Dslf4j.internal.verbosity=WARN",
                    "-cp", classpath, SandboxFiles.SERVER_CLASS,
                    dir.toString(), Long.toString(LIFETIME_SECONDS), ctx.setting("inputs.bucket").orElse("")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (!Files.exists(dir.resolve(SandboxFiles.READY))) {
                if (!p.isAlive()) {
                    throw StepFailure.permanent("the sandbox cluster exited at start; see " + log);
                }
                if (System.currentTimeMillis() > deadline) {
                    p.destroy();
                    throw new StepFailure(dev.dr.plan.model.ErrorClass.TIMEOUT, "the sandbox cluster did not start within 60s");
                }
                Thread.sleep(100);
            }
            String s3 = Files.readString(dir.resolve(SandboxFiles.S3_ENDPOINT)).trim();
            ctx.log("sandbox cluster up: pid " + p.pid() + ", kubeconfig " + dir.resolve(SandboxFiles.KUBECONFIG)
                    + ", S3 endpoint " + s3);
            return new StepResult(java.util.Map.of("kubeconfig", dir.resolve(SandboxFiles.KUBECONFIG).toString(),
                    "sandbox.pid", Long.toString(p.pid()), dev.dr.steps.aws.S3Settings.ENDPOINT_OUTPUT, s3));
        } catch (IOException e) {
            throw StepFailure.permanent("cannot start the sandbox cluster: " + e.getMessage());
        }
    }

    /** Stops the cluster process and verifies that no sandbox runner is left. */
    static StepResult down(StepContext ctx) throws StepFailure, InterruptedException {
        String pid = ctx.outputs().get("sandbox.pid");
        if (pid == null) {
            throw StepFailure.permanent("no sandbox.pid in the receipts: nothing says which sandbox to stop"
                    + " (run the bringup first, or name its run with --from-receipt)");
        }
        Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid));
        if (h.isPresent() && isSandbox(h.get())) {
            h.get().destroy();
            h.get().onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
        boolean left = ProcessHandle.of(Long.parseLong(pid)).map(p -> p.isAlive() && isSandbox(p)).orElse(false);
        if (left) {
            throw StepFailure.permanent("the sandbox cluster (pid " + pid + ") is still running: 1 runner left");
        }
        ctx.log("sandbox cluster stopped: 0 runners left");
        return StepResult.of("runners.left", "0");
    }

    private static boolean isSandbox(ProcessHandle p) {
        return p.info().arguments().map(a -> String.join(" ", a).contains(SandboxFiles.SERVER_CLASS)).orElse(true);
    }
}

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
    /** The cluster process of the run, written as soon as it is started: {@code <pid> <start instant>}. */
    static final String PID_FILE = "sandbox.process";

    private SandboxOps() {}

    /**
     * Starts the background cluster, waits until it serves, and leaves its kubeconfig in the
     * receipt. A cluster this run started before (a resumed run whose bringup was killed) is
     * adopted when it still serves, and stopped otherwise, so that one cluster per run is left
     * for teardown to stop.
     */
    static StepResult up(StepContext ctx) throws StepFailure, InterruptedException {
        Path dir = ctx.workDir().resolve("sandbox").toAbsolutePath();
        try {
            Optional<ProcessHandle> earlier = startedBefore(dir);
            if (earlier.isPresent() && serves(dir, earlier.get())) {
                ProcessHandle p = earlier.get();
                String s3 = Files.readString(dir.resolve(SandboxFiles.S3_ENDPOINT)).trim();
                ctx.log("sandbox cluster of this run still up: pid " + p.pid() + ", adopted; kubeconfig "
                        + dir.resolve(SandboxFiles.KUBECONFIG) + ", S3 endpoint " + s3);
                record(ctx, p, dir);
                return outputs(dir, p.pid(), s3);
            }
            if (earlier.isPresent()) {
                ProcessHandle p = earlier.get();
                ctx.log("sandbox cluster of this run (pid " + p.pid() + ") does not serve; stopping it");
                p.destroyForcibly(); // it hangs or never finished starting: nothing to shut down cleanly
                p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
            }
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
                    // the options of runner/sandbox.java, which this launch bypasses: UTF-8 whatever the locale
                    "-Dfile.encoding=UTF-8", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    // S3Proxy's logback is on the class path under JBang (pom.xml excludes it): name
                    // the quiet provider, or logback would log every request at DEBUG.
                    "-Dslf4j.provider=org.slf4j.nop.NOPServiceProvider", "-Dslf4j.internal.verbosity=WARN",
                    "-cp", classpath, SandboxFiles.SERVER_CLASS,
                    dir.toString(), Long.toString(LIFETIME_SECONDS), ctx.setting("inputs.bucket").orElse("")));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            // before anything can kill this JVM: which process is this run's cluster, and the target's
            Files.writeString(dir.resolve(PID_FILE), p.pid() + " "
                    + p.toHandle().info().startInstant().map(Object::toString).orElse("") + "\n");
            record(ctx, p.toHandle(), dir);
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
            while (!Files.exists(dir.resolve(SandboxFiles.READY))) {
                if (!p.isAlive()) {
                    throw StepFailure.permanent("the sandbox cluster exited at start; see " + log);
                }
                if (System.currentTimeMillis() > deadline) {
                    p.destroy();
                    throw new StepFailure(dev.dr.step.ErrorClass.TIMEOUT, "the sandbox cluster did not start within 60s");
                }
                Thread.sleep(100);
            }
            String s3 = Files.readString(dir.resolve(SandboxFiles.S3_ENDPOINT)).trim();
            ctx.log("sandbox cluster up: pid " + p.pid() + ", kubeconfig " + dir.resolve(SandboxFiles.KUBECONFIG)
                    + ", S3 endpoint " + s3);
            return outputs(dir, p.pid(), s3);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot start the sandbox cluster: " + e.getMessage());
        }
    }

    /** The target's state knows the cluster {@code p} started in {@code dir}. */
    private static void record(StepContext ctx, ProcessHandle p, Path dir) throws IOException {
        SandboxState state = SandboxState.of(ctx);
        state.add(new SandboxState.Entry(p.pid(), p.info().startInstant(), dir));
        ctx.log("sandbox state of the target: " + state.file());
    }

    /**
     * Stops the cluster process and verifies that no sandbox runner is left: the bringup's, when
     * the receipts name it, else every cluster the target's state records (a teardown without the
     * bringup's receipt, as terraform destroy finds what to destroy in the backend's state).
     */
    static StepResult down(StepContext ctx) throws StepFailure, InterruptedException {
        String pid = ctx.outputs().get("sandbox.pid");
        SandboxState state = SandboxState.of(ctx);
        try {
            List<Long> pids = new ArrayList<>();
            if (pid != null) {
                pids.add(Long.parseLong(pid));
            } else if (!state.exists()) {
                throw StepFailure.permanent("no sandbox.pid in the receipts and no sandbox state at " + state.file()
                        + ": nothing says which sandbox to stop (run the bringup first, give --receipt-dir <bringup receipt>,"
                        + " or the receipt folder the bringup's run was in)");
            } else {
                for (SandboxState.Entry e : state.entries()) {
                    e.running().ifPresent(p -> pids.add(p.pid()));
                }
                ctx.log("sandbox state of the target " + state.file() + ": " + pids.size() + " cluster(s) running");
            }
            int left = 0;
            for (long one : pids) {
                Optional<ProcessHandle> h = ProcessHandle.of(one);
                if (h.isPresent() && isSandbox(h.get())) {
                    stop(h.get());
                }
                if (ProcessHandle.of(one).map(p -> p.isAlive() && isSandbox(p)).orElse(false)) {
                    left++;
                } else {
                    state.remove(one);
                }
            }
            if (left > 0) {
                throw StepFailure.permanent("the sandbox cluster (pid " + pids + ") is still running: " + left + " runner(s) left");
            }
        } catch (IOException e) {
            throw StepFailure.permanent("cannot read the sandbox state: " + e.getMessage());
        }
        ctx.log("sandbox cluster stopped: 0 runners left");
        return StepResult.of("runners.left", "0");
    }

    private static StepResult outputs(Path dir, long pid, String s3) {
        return new StepResult(java.util.Map.of("kubeconfig", dir.resolve(SandboxFiles.KUBECONFIG).toString(),
                "sandbox.pid", Long.toString(pid), dev.dr.aws.S3Settings.ENDPOINT_OUTPUT, s3));
    }

    private static void stop(ProcessHandle p) {
        p.destroy();
        p.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
        if (p.isAlive()) {
            p.destroyForcibly();
            p.onExit().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

    /**
     * The cluster a previous bringup of this run started in {@code dir}, if it still runs: the
     * pid it recorded, with the same start time (a later process may have got the pid).
     */
    private static Optional<ProcessHandle> startedBefore(Path dir) throws IOException {
        Path f = dir.resolve(PID_FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        String[] words = Files.readString(f).trim().split(" ");
        Optional<java.time.Instant> started = words.length > 1 ? Optional.of(java.time.Instant.parse(words[1]))
                : Optional.empty();
        return ProcessHandle.of(Long.parseLong(words[0])).filter(ProcessHandle::isAlive)
                .filter(p -> started.isEmpty() || p.info().startInstant().map(t -> Math.abs(
                        t.toEpochMilli() - started.get().toEpochMilli()) < 1000).orElse(true));
    }

    /**
     * Whether the server finished starting (its ready file names it) and both its APIs answer:
     * the Kubernetes API with 200 on /api, the S3 server with any HTTP answer.
     */
    private static boolean serves(Path dir, ProcessHandle p) throws InterruptedException {
        try {
            Path ready = dir.resolve(SandboxFiles.READY);
            if (!Files.exists(ready) || !Files.readString(ready).trim().equals(Long.toString(p.pid()))) {
                return false;
            }
            String kubeconfig = Files.readString(dir.resolve(SandboxFiles.KUBECONFIG));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("server: \"([^\"]+)\"").matcher(kubeconfig);
            if (!m.find()) {
                return false;
            }
            java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                    .connectTimeout(java.time.Duration.ofSeconds(2)).build();
            int kube = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(m.group(1).replaceAll("/$", "") + "/api"))
                    .timeout(java.time.Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
            String s3 = Files.readString(dir.resolve(SandboxFiles.S3_ENDPOINT)).trim();
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s3)).timeout(java.time.Duration.ofSeconds(5))
                    .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
            return kube == 200;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether {@code p} runs the sandbox server, so that a pid some other process got since is
     * never stopped. The JDK gives no arguments for a command line over 4 KiB, as the server's
     * class path makes it: on Linux the whole line is read from /proc.
     */
    private static boolean isSandbox(ProcessHandle p) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).contains(SandboxFiles.SERVER_CLASS);
        } catch (IOException | UnsupportedOperationException e) {
            return p.info().arguments().map(a -> String.join(" ", a).contains(SandboxFiles.SERVER_CLASS)).orElse(true);
        }
    }
}

package dev.dr.steps.sandbox;

import dev.dr.step.StepFailure;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The class path the sandbox server runs on. In a Maven build dr's own class path holds the
 * server and its libraries. Under JBang it does not: S3Proxy alone brings some 200 jars (JBang
 * cannot exclude the Azure and Google Cloud SDKs, gRPC, Jetty and logback that pom.xml leaves out),
 * and every dr command paid for them at start-up. There the server is its own JBang script,
 * runner/sandbox.java, and JBang resolves and builds it on the first bringup.
 */
final class ServerClasspath {

    /** The script, relative to the project folder. */
    static final String SCRIPT = "runner/sandbox.java";
    /** A first run downloads the server's libraries from Maven Central. */
    static final long JBANG_TIMEOUT_MINUTES = 10;

    private static final List<String> SERVER_RESOURCES = List.of(
            SandboxFiles.SERVER_CLASS.replace('.', '/') + ".class",
            "org/gaul/s3proxy/S3Proxy.class",
            "io/fabric8/kubernetes/client/server/mock/KubernetesMockServer.class");

    private ServerClasspath() {}

    /** Whether the loader can run the server itself: a Maven build or its tests, not JBang's dr. */
    static boolean hasServer(ClassLoader loader) {
        return SERVER_RESOURCES.stream().allMatch(r -> loader.getResource(r) != null);
    }

    /**
     * dr's own class path when it holds the server, else the class path of runner/sandbox.java
     * from the project folder that holds {@code cwd}. JBang's notes go to {@code log}.
     */
    static String resolve(ClassLoader loader, Path cwd, Path log) throws StepFailure, InterruptedException {
        if (hasServer(loader)) {
            return System.getProperty("java.class.path");
        }
        Path root = projectRoot(cwd).orElseThrow(() -> StepFailure.permanent("the sandbox server is not on dr's"
                + " class path and there is no " + SCRIPT + " in " + cwd + " or a folder above it: run dr from"
                + " the project folder, e.g. ./jbang dr@catalog apply examples/sandbox/drill.yaml"));
        List<String> jbang = List.of(jbang(root));
        List<String> entries = query(jbang, root, log);
        if (!missing(entries).isEmpty()) {
            // info classpath names the jar of the script's build, which only a build makes
            run(with(jbang, "build", SCRIPT), root, log, log);
            entries = query(jbang, root, log);
            if (!missing(entries).isEmpty()) {
                throw StepFailure.permanent("JBang built " + SCRIPT + " but its class path lacks "
                        + missing(entries).get(0) + "; see " + log);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The folder holding runner/sandbox.java: cwd or the nearest folder above it. */
    static Optional<Path> projectRoot(Path cwd) {
        for (Path p = cwd.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SCRIPT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The project's ./jbang, which defers to an installed jbang when there is one. */
    static String jbang(Path root) {
        Path wrapper = root.resolve("jbang");
        return Files.isExecutable(wrapper) ? wrapper.toString() : "jbang";
    }

    /** The entries of the last line JBang prints for {@code info classpath}. */
    static List<String> entries(String stdout) {
        String[] lines = stdout.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? List.of() : Arrays.asList(last.split(File.pathSeparator));
    }

    static List<String> missing(List<String> entries) {
        if (entries.isEmpty()) {
            return List.of("every entry (JBang printed none)");
        }
        return entries.stream().filter(e -> !Files.exists(Path.of(e))).toList();
    }

    private static List<String> query(List<String> jbang, Path root, Path log) throws StepFailure, InterruptedException {
        Path out = log.resolveSibling("sandbox.classpath");
        run(with(jbang, "info", "classpath", SCRIPT), root, out, log);
        try {
            return entries(Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw StepFailure.permanent("cannot read what JBang printed for " + SCRIPT + ": " + e.getMessage());
        }
    }

    private static void run(List<String> cmd, Path dir, Path out, Path log) throws StepFailure, InterruptedException {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.redirectOutput(out.equals(log) ? ProcessBuilder.Redirect.appendTo(log.toFile())
                    : ProcessBuilder.Redirect.to(out.toFile()));
            p = pb.start();
            p.getOutputStream().close();
        } catch (IOException e) {
            throw StepFailure.permanent("cannot run " + cmd.get(0) + " to build the sandbox server: " + e.getMessage());
        }
        try {
            if (!p.waitFor(JBANG_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new StepFailure(dev.dr.step.ErrorClass.TIMEOUT, String.join(" ", cmd)
                        + " did not finish within " + JBANG_TIMEOUT_MINUTES + " minutes; see " + log);
            }
        } finally {
            // interrupted or timed out: JBang and the java it may have started go too
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
        }
        if (p.exitValue() != 0) {
            throw StepFailure.permanent(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "); see " + log);
        }
    }

    private static List<String> with(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }
}

package dev.dr.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built dr CLI as its own java process, as an operator's shell would. */
public final class CliProcess {

    public record Result(int exit, String out, String err) {}

    public static Path projectDir() {
        return Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    }

    /** The classes given plus dr's runtime class path as the app module resolved it (its modules and libraries). */
    public static String classpath(Path classes) throws IOException {
        String deps = Files.readString(Path.of(System.getProperty("dr.runtimeClasspath",
                projectDir().resolve("app/target/runtime-classpath.txt").toString()))).strip();
        return classes + java.io.File.pathSeparator + deps;
    }

    public static Path classesDir() {
        return Path.of(System.getProperty("dr.classesDir", projectDir().resolve("app/target/classes").toString()));
    }

    /**
     * @param env     the whole environment of the process (nothing is inherited but PATH)
     * @param jvmArgs extra JVM options, e.g. a locale
     */
    public static Result run(Path classes, Map<String, String> env, List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        return runOn(classpath(classes), env, jvmArgs, args);
    }

    /** dr on exactly this class path. */
    public static Result runOn(String classpath, Map<String, String> env, List<String> jvmArgs, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // as runner/dr.java: zstd-jni's JNI library loads without Java 24's warning on stderr
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add("dev.dr.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(projectDir().toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("dr-out", ".txt");
        Path err = Files.createTempFile("dr-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("dr did not finish within 2 minutes: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    public static Result run(String... args) throws IOException, InterruptedException {
        return run(classesDir(), Map.of(), List.of(), args);
    }

    private CliProcess() {}
}

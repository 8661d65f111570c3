package dev.dr.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the start-up cache ({@link StartupCache}): a JVM started with
 * {@code -XX:AOTCacheOutput} that does in one process what users wait on most, so the cache holds
 * the classes and method profiles of those commands. It previews, lints and compiles the plans dr
 * ships (a copy on the class path, under {@value #PLANS}), offline: no plan it runs reads an
 * account, a cluster or terraform, and nothing is written but a folder it deletes. Prints each
 * command's exit code for the log beside the cache.
 */
public final class StartupTraining {
    static final String PLANS = "dr/startup-training/";
    /** The shipped plans (plans/ in the repository), which StartupTrainingTest keeps equal to this list. */
    static final List<String> FILES = List.of("base/common.yaml", "base/drill.yaml", "bringup-only.yaml", "failback.yaml",
            "full-drill.yaml", "publish-bundle.yaml", "restore-only.yaml", "teardown.yaml", "validate-only.yaml");

    private StartupTraining() {}

    public static void main(String[] args) throws IOException {
        java.util.Locale.setDefault(java.util.Locale.ROOT);
        Path dir = Files.createTempDirectory("dr-startup-training");
        try {
            for (String f : FILES) {
                copy(PLANS + f, dir.resolve("plans").resolve(f));
            }
            PrintWriter log = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            for (List<String> command : commands()) {
                int code = Main.run(context(dir), command.toArray(String[]::new));
                log.println(code + " dr " + String.join(" ", command));
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** What is trained: the preview in its three formats, lint of every plan, the compiled state machine. */
    static List<List<String>> commands() {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("plans/validate-only.yaml"));
        commands.add(List.of("plan", "plans/validate-only.yaml", "--format", "json"));
        commands.add(List.of("plan", "plans/validate-only.yaml", "--format", "markdown"));
        List<String> lint = new ArrayList<>(List.of("lint"));
        FILES.stream().filter(f -> !f.startsWith("base/")).forEach(f -> lint.add("plans/" + f));
        commands.add(lint);
        commands.add(List.of("compile", "--target", "stepfunctions", "plans/full-drill.yaml"));
        return commands;
    }

    private static dev.dr.command.Context context(Path dir) {
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        return new dev.dr.command.Context(discard, discard, Map.of(), dir, false);
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = StartupTraining.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("not on the class path: " + resource);
            }
            Files.createDirectories(to.getParent());
            Files.copy(in, to);
        }
    }
}

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
 * account, a cluster or terraform, and nothing is written but a folder it deletes. The
 * {@value #S3} family's cache (the one dr's wrapper gives apply, bundle and failback) adds a
 * {@code dr bundle publish --dry-run} of a generated control plane (200 files, ~10 MB), which
 * builds and hashes the bundle (with the native SHA-256, as a restore hashes), builds the S3
 * client and reads the pointer from a loopback port nothing listens on: the classes a restore and
 * a publish load before their first byte. Prints each command's exit code
 * for the log beside the cache, and fails when one is not the code it should end with.
 */
public final class StartupTraining {
    static final String PLANS = "dr/startup-training/";
    /** The shipped plans (plans/ in the repository), which StartupTrainingTest keeps equal to this list. */
    static final List<String> FILES = List.of("base/common.yaml", "base/drill.yaml", "bringup-only.yaml", "failback.yaml",
            "full-drill.yaml", "publish-bundle.yaml", "restore-only.yaml", "teardown.yaml", "validate-only.yaml");
    /** The family of the commands that talk to S3. */
    static final String S3 = "s3";
    /** The control-plane folders a bundle holds, and how many files the training puts in each. */
    private static final List<String> CONTROL_PLANE = List.of("alerts", "candidates", "providers", "scoring");
    private static final int FILES_PER_FOLDER = 50;
    /** Lines of each file: 200 files of ~48 KB, enough that the bundle's hashing loads the native SHA-256 as a restore's does. */
    private static final int LINES_PER_FILE = 2000;

    /** One command of a training and the exit code it ends with when all is well. */
    record Command(List<String> argv, int exit) {}

    private StartupTraining() {}

    /** @param args the family to train: none for the previews', or {@value #S3} */
    public static void main(String[] args) throws IOException {
        java.util.Locale.setDefault(java.util.Locale.ROOT);
        String family = args.length == 0 ? "" : args[0];
        Path dir = Files.createTempDirectory("dr-startup-training");
        int wrong = 0;
        try {
            setUp(dir);
            PrintWriter log = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            for (Command command : commands(family, closedPort())) {
                int code = Main.run(context(dir), command.argv().toArray(String[]::new));
                log.println(code + " dr " + String.join(" ", command.argv()));
                if (code != command.exit()) {
                    log.println("  expected exit " + command.exit());
                    wrong++;
                }
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        if (wrong > 0) {
            // a cache of commands that did not run as they do for users would not be theirs
            System.exit(1);
        }
    }

    /** The shipped plans and a generated control plane, in the training's working folder {@code dir}. */
    static void setUp(Path dir) throws IOException {
        for (String f : FILES) {
            copy(PLANS + f, dir.resolve("plans").resolve(f));
        }
        for (String folder : CONTROL_PLANE) {
            Path d = Files.createDirectories(dir.resolve("control-plane").resolve(folder));
            for (int i = 0; i < FILES_PER_FOLDER; i++) {
                StringBuilder text = new StringBuilder("name: " + folder + "-" + i + "\nrows:\n");
                for (int row = 0; row < LINES_PER_FILE; row++) {
                    text.append("  - {row: ").append(row).append(", weight: ").append(row * (i + 1) % 9973).append("}\n");
                }
                Files.writeString(d.resolve(folder + "-" + i + ".yaml"), text);
            }
        }
    }

    /** What is trained: the preview in its three formats, lint of every plan, the compiled state machine; for {@value #S3} a publish too. */
    static List<Command> commands(String family, int closedPort) {
        List<Command> commands = new ArrayList<>();
        commands.add(new Command(List.of("plans/validate-only.yaml"), 0));
        commands.add(new Command(List.of("plan", "plans/validate-only.yaml", "--format", "json"), 0));
        commands.add(new Command(List.of("plan", "plans/validate-only.yaml", "--format", "markdown"), 0));
        List<String> lint = new ArrayList<>(List.of("lint"));
        FILES.stream().filter(f -> !f.startsWith("base/")).forEach(f -> lint.add("plans/" + f));
        commands.add(new Command(lint, 0));
        commands.add(new Command(List.of("compile", "--target", "stepfunctions", "plans/full-drill.yaml"), 0));
        if (S3.equals(family)) {
            // the pointer read is refused (exit 1): nothing listens on the port
            commands.add(new Command(List.of("bundle", "publish", "--bucket", "dr-startup-training", "--prefix", "training",
                    "--image-ref-digest", "048622080012.dkr.ecr.us-east-1.amazonaws.com/training@sha256:" + "0".repeat(64),
                    "--source", "control-plane", "--dry-run", "--endpoint-url", "http://127.0.0.1:" + closedPort,
                    "--no-sign-request", "--region", "us-east-1"), 1));
        }
        return commands;
    }

    /** A loopback port that was free a moment ago: the S3 endpoint of a publish that must find no server. */
    static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
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

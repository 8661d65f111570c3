package dev.dr.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Java 25's ahead-of-time cache of dr's start-up (JEP 483/514/515): the classes a preview loads,
 * read, verified and linked once, and the profiles of its methods.
 *
 * <p>runner/dr.java starts dr's JVM with {@code -XX:AOTCache=FILE} and names the same file in the
 * property {@value #PROPERTY}. The JVM maps the cache when it matches this JDK and class path and
 * silently goes without when it is missing or does not match. It never writes one itself, so dr
 * does: when the key of the cache (the JDK and every class-path entry with its
 * size and modification time, the facts the JVM checks) is not that of this run, dr starts one
 * training JVM in the background after its command has finished, says so in one line on stderr,
 * and leaves. The training JVM ({@link StartupTraining}) previews, lints and compiles the shipped
 * plans with {@code -XX:AOTCacheOutput}; the cache and its key are moved into place only when it
 * succeeds. A lock keeps two runs from training at once. The user's command never waits for it
 * and its output and exit code do not change. {@code DR_STARTUP_CACHE=off} turns the writing off.
 *
 * <p>A cache's file name says which family of commands it is for: {@code dr.aot} the previews',
 * {@code dr-s3.aot} the commands that talk to S3 ({@link StartupTraining#S3}). JBang gives every
 * command the same options, so only a launcher that sees the arguments can give a command its
 * family's cache: dr's wrapper does, for the commands dr.java lists in
 * {@code -Ddr.aot.family.s3=…}; dr trains whichever cache its JVM was given.
 */
record StartupCache(Path file, String key, Path javaBinary, String classpath) {

    /** The system property naming the cache file; only a JVM started by dr.java has it. */
    static final String PROPERTY = "dr.aot.cache";
    /** The environment variable that turns the writing off. */
    static final String SWITCH = "DR_STARTUP_CACHE";
    /** A training older than this has died without removing its lock. */
    static final Duration LOCK_TIMEOUT = Duration.ofMinutes(10);

    /**
     * The cache this JVM was started with, when it was started with one (dr.java on Java 25 or
     * later) and writing is not switched off: nothing to do otherwise.
     */
    static Optional<StartupCache> ofThisJvm(Map<String, String> env) {
        String file = System.getProperty(PROPERTY, "");
        if (file.isBlank() || Runtime.version().feature() < 25 || "off".equals(env.get(SWITCH))) {
            return Optional.empty();
        }
        String classpath = System.getProperty("java.class.path", "");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return Optional.of(new StartupCache(Path.of(file), key(java, classpath), java, classpath));
    }

    /** The family this cache is for, from its file name ({@code dr-s3.aot}: s3); empty for the previews'. */
    String family() {
        String name = file.getFileName().toString();
        String s3 = "-" + StartupTraining.S3 + ".aot";
        return name.endsWith(s3) && name.length() > s3.length() ? StartupTraining.S3 : "";
    }

    /**
     * What the JVM checks before it maps the cache, as text: this JDK and each class-path entry
     * with its size and modification time. dr.java's options need no place in it: JBang builds
     * dr's jar anew, under a new name, when they change.
     */
    static String key(Path javaBinary, String classpath) {
        StringBuilder key = new StringBuilder();
        key.append("java ").append(javaBinary).append(' ').append(System.getProperty("java.vm.version")).append('\n');
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            String facts;
            try {
                facts = Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
            } catch (IOException e) {
                facts = "missing";
            }
            key.append(entry).append(' ').append(facts).append('\n');
        }
        return key.toString();
    }

    Path keyFile() {
        return file.resolveSibling(file.getFileName() + ".key");
    }

    Path lockFile() {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    Path logFile() {
        return file.resolveSibling(file.getFileName() + ".log");
    }

    /** The key of the last training that failed: its log says why, and it is not tried again for the same key. */
    Path failedKeyFile() {
        return file.resolveSibling(file.getFileName() + ".failed");
    }

    /**
     * Whether the cache on disk was written for this JDK and this class path, or its training
     * failed for them: trying again on every run would cost every run a training JVM.
     */
    boolean current() {
        return (Files.isRegularFile(file) && key.equals(read(keyFile()))) || key.equals(read(failedKeyFile()));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * When the cache is not current and no other run is writing it: starts the training JVM in
     * the background and says so on {@code err}. Never throws: a cache that cannot be written
     * leaves dr as fast as it was, so a failure is one line on stderr, never a changed exit code.
     */
    void refreshInBackground(PrintWriter err) {
        if (current()) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            if (!lock()) {
                return;
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Path keyTmp = keyFile().resolveSibling(keyFile().getFileName() + ".tmp");
            Files.writeString(keyTmp, key, StandardCharsets.UTF_8);
            new ProcessBuilder(command(tmp, keyTmp))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile().toFile()))
                    .redirectErrorStream(true)
                    .start();
            err.println("dr: writing the start-up cache for this dr and Java in the background (once after an update;"
                    + " " + SWITCH + "=off turns it off): " + file);
        } catch (IOException | RuntimeException e) {
            err.println("dr: could not write the start-up cache " + file + " (" + e.getMessage() + "); dr runs without it"
                    + " (" + SWITCH + "=off stops trying)");
            try {
                Files.deleteIfExists(lockFile());
            } catch (IOException ignored) {
                // the lock times out
            }
        }
    }

    /** Takes the lock, or returns false when another run holds one that has not timed out. */
    private boolean lock() throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(lockFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException held) {
                FileTime since = Files.getLastModifiedTime(lockFile());
                if (since.toInstant().plus(LOCK_TIMEOUT).isAfter(Instant.now())) {
                    return false;
                }
                Files.deleteIfExists(lockFile());
            }
        }
        return false;
    }

    /**
     * The shell line that trains, then moves the cache and its key into place when the JVM
     * succeeded (or keeps the key as the failed one), and always removes what is left and the lock. The paths are its arguments, never
     * part of the script's text.
     */
    private List<String> command(Path tmp, Path keyTmp) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c",
                "cache=$1 key=$2 tmp=$3 keytmp=$4 lock=$5 failed=$6; shift 6; "
                        + "if \"$@\" && [ -s \"$tmp\" ]; then mv -f \"$tmp\" \"$cache\" && mv -f \"$keytmp\" \"$key\";"
                        + " else mv -f \"$keytmp\" \"$failed\"; fi; "
                        + "rm -f \"$tmp\" \"$keytmp\" \"$lock\"",
                "dr-startup-cache", file.toString(), keyFile().toString(), tmp.toString(), keyTmp.toString(),
                lockFile().toString(), failedKeyFile().toString(), javaBinary.toString()));
        cmd.addAll(trainingOptions(tmp));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(StartupTraining.class.getName());
        if (!family().isEmpty()) {
            cmd.add(family());
        }
        return cmd;
    }

    /**
     * This JVM's options for the training JVM: the same JIT, GC and properties, so the cache
     * matches the runs that map it, with the cache written rather than read.
     */
    private static List<String> trainingOptions(Path tmp) {
        List<String> options = new ArrayList<>();
        for (String o : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!o.startsWith("-XX:AOTCache=") && !o.startsWith("-XX:SharedArchiveFile=")
                    && !o.startsWith("-XX:ArchiveClassesAtExit=") && !o.startsWith("-Xshare")
                    && !o.startsWith("-D" + PROPERTY + "=") && !o.startsWith("-agentlib") && !o.startsWith("-javaagent")) {
                options.add(o);
            }
        }
        options.add("-XX:AOTCacheOutput=" + tmp);
        return options;
    }
}

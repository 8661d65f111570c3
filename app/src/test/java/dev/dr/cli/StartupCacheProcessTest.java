package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up cache as dr.java starts dr (-XX:AOTCache and the property naming it), on Java 25:
 * the first run prints its output unchanged and says on stderr that it writes the cache in the
 * background; the cache and its key appear; the next run maps it (the JVM's own log says so) and
 * says nothing; DR_STARTUP_CACHE=off writes nothing. CI runs on Java 25; elsewhere, on an older
 * JVM, the test is skipped (there is no AOT cache to write).
 */
class StartupCacheProcessTest {

    private static final String NOTICE = "dr: writing the start-up cache";

    @Test
    void theFirstRunWritesTheCacheInTheBackgroundAndTheNextMapsIt(@TempDir Path dir) throws Exception {
        onJava25();
        Path cache = dir.resolve("cache").resolve("dr.aot");
        String classpath = jarsOnly();
        CliProcess.Result plain = CliProcess.runOn(classpath, Map.of(), List.of(), "plans/validate-only.yaml");

        CliProcess.Result first = CliProcess.runOn(classpath, Map.of(), options(cache, dir.resolve("first.log")),
                "plans/validate-only.yaml");
        assertThat(first.exit()).as(first.err()).isEqualTo(plain.exit());
        assertThat(first.out()).isEqualTo(plain.out());
        assertThat(first.err()).startsWith(plain.err()).contains(NOTICE).contains(cache.toString());
        assertThat(first.err().substring(plain.err().length()).lines()).hasSize(1);
        waitForTraining(cache);
        assertThat(cache).isRegularFile();
        assertThat(cache.resolveSibling("dr.aot.key")).isRegularFile();
        assertThat(cache.resolveSibling("dr.aot.failed")).doesNotExist();
        assertThat(Files.readString(cache.resolveSibling("dr.aot.log"))).contains("0 dr plans/validate-only.yaml");

        Path log = dir.resolve("second.log");
        CliProcess.Result second = CliProcess.runOn(classpath, Map.of(), options(cache, log), "plans/validate-only.yaml");
        assertThat(second.out()).isEqualTo(plain.out());
        assertThat(second.err()).isEqualTo(plain.err());
        assertThat(Files.readString(log)).contains("Using AOT-linked classes: true");
        assertThat(cache.resolveSibling("dr.aot.lock")).doesNotExist();
    }

    /**
     * A cache named for the S3 family (as ./jbang names it for apply, bundle and failback) is
     * trained with a publish as well, and the next run of such a command maps it.
     */
    @Test
    void theS3FamilysCacheIsTrainedWithAPublish(@TempDir Path dir) throws Exception {
        onJava25();
        Path cache = dir.resolve("cache").resolve("dr-s3.aot");
        String classpath = jarsOnly();
        CliProcess.Result first = CliProcess.runOn(classpath, Map.of(), options(cache, dir.resolve("first.log")), "bundle", "--help");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains(NOTICE).contains(cache.toString());
        waitForTraining(cache);
        assertThat(cache).isRegularFile();
        assertThat(Files.readString(cache.resolveSibling("dr-s3.aot.log")))
                .contains("0 dr plans/validate-only.yaml").contains("1 dr bundle publish --bucket dr-startup-training")
                .doesNotContain("expected exit");

        Path log = dir.resolve("second.log");
        CliProcess.Result second = CliProcess.runOn(classpath, Map.of(), options(cache, log), "bundle", "--help");
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).doesNotContain(NOTICE);
        assertThat(Files.readString(log)).contains("Using AOT-linked classes: true");
    }

    /** A cache folder dr cannot create (under /proc, even for root) changes neither the output nor the exit code. */
    @Test
    void aCacheThatCannotBeWrittenChangesNothing(@TempDir Path dir) throws Exception {
        onJava25();
        String classpath = jarsOnly();
        CliProcess.Result plain = CliProcess.runOn(classpath, Map.of(), List.of(), "plans/validate-only.yaml");
        Path cache = Path.of("/proc/dr-startup-cache-test/dr.aot");
        CliProcess.Result r = CliProcess.runOn(classpath, Map.of(), options(cache, dir.resolve("jvm.log")),
                "plans/validate-only.yaml");
        assertThat(r.exit()).isEqualTo(plain.exit());
        assertThat(r.out()).isEqualTo(plain.out());
        assertThat(r.err().substring(plain.err().length()).strip())
                .startsWith("dr: could not write the start-up cache " + cache).endsWith("(DR_STARTUP_CACHE=off stops trying)")
                .doesNotContain("\n");
    }

    @Test
    void offWritesNothing(@TempDir Path dir) throws Exception {
        onJava25();
        Path cache = dir.resolve("cache").resolve("dr.aot");
        CliProcess.Result r = CliProcess.runOn(jarsOnly(), Map.of(StartupCache.SWITCH, "off"),
                options(cache, dir.resolve("jvm.log")), "plans/validate-only.yaml");
        assertThat(r.err()).doesNotContain(NOTICE);
        assertThat(cache.getParent()).doesNotExist();
    }

    /** dr.java's options for the cache, and the JVM's AOT log in a file of its own. */
    private static List<String> options(Path cache, Path jvmLog) {
        return new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:disable",
                "-Xlog:all=warning,cds*=off,aot*=off:stderr", "-Xlog:aot=info:file=" + jvmLog,
                "-XX:AOTCache=" + cache, "-D" + StartupCache.PROPERTY + "=" + cache));
    }

    /** The AOT cache takes jars only: dr's modules as the reactor packaged them, with their libraries. */
    private static String jarsOnly() throws IOException {
        String cp = Files.readString(CliProcess.projectDir().resolve("app/target/runtime-classpath.txt")).strip();
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            assumeTrue(entry.endsWith(".jar") || System.getenv("CI") != null,
                    "the modules are not packaged (run mvn verify): " + entry);
        }
        return cp;
    }

    private static void onJava25() {
        assumeTrue(Runtime.version().feature() >= 25 || System.getenv("CI") != null, "needs Java 25 (CI runs on it)");
        assertThat(Runtime.version().feature()).as("CI runs the tests on Java 25").isGreaterThanOrEqualTo(25);
    }

    private static void waitForTraining(Path cache) throws InterruptedException {
        Path lock = cache.resolveSibling(cache.getFileName() + ".lock");
        long until = System.nanoTime() + 180_000_000_000L;
        while (Files.exists(lock) && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(lock).as("the training has finished within 3 minutes").doesNotExist();
    }
}

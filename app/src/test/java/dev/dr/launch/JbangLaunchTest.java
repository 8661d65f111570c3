package dev.dr.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Runs `./jbang dr@catalog plans/validate-only.yaml` (a fresh build, under the C locale) and the
 * README's sandbox drill from the repository root as a user would: the wrapper, the
 * catalog, runner/dr.java and the sources it compiles together. JBang's own cache goes to
 * target/, so every run compiles today's sources; the JBang download in the user cache
 * (see ./jbang) is reused.
 */
class JbangLaunchTest {

    private static final Path ROOT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();

    @Test
    void jbangRunsTheCliFromSource() throws Exception {
        Path target = ROOT.resolve("target");
        Path jbangHome = target.resolve("jbang-home");
        deleteRecursively(jbangHome);
        Path out = target.resolve("jbang-launch.out");
        Path err = target.resolve("jbang-launch.err");

        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("jbang").toString(), "dr@catalog", "plans/validate-only.yaml")
                .directory(ROOT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.put("JBANG_DIR", jbangHome.toString());
        // the start-up cache would be trained in the user's cache, in the background (StartupCacheProcessTest tests it)
        env.put("DR_STARTUP_CACHE", "off");
        env.remove("JBANG_CACHE_DIR");
        env.remove("DR_JBANG_DELEGATED");
        // Most containers and CI images run under the C locale, whose charset is US-ASCII: the
        // fresh build must still read the UTF-8 sources, and the plan-diff be the golden bytes.
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        for (String unset : List.of("IMAGE_REF", "BACKUP_URI", "BUCKET", "PREFIX", "CHANGE_TICKET", "RECEIPT_DIR")) {
            env.remove(unset);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        // The first run on a machine also downloads JBang and the dependencies.
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("./jbang dr@catalog plans/validate-only.yaml did not finish in 5 minutes:\n" + Files.readString(err));
        }

        assertThat(p.exitValue()).as("exit code; stderr:%n%s", Files.readString(err)).isZero();
        // The JVM finds no start-up cache for this fresh build: it must not say so, on stdout or stderr.
        assertThat(Files.readString(out)).as("stdout of dr under LC_ALL=C")
                .isEqualTo(Files.readString(ROOT.resolve("app/src/test/resources/golden/validate-only.txt")));
        assertThat(Files.readString(err)).as("stderr of the first run: JBang's build notes only")
                .doesNotContain("[warning][cds").doesNotContain("[aot]").doesNotContain("unmappable character");
        // The application JBang built is dr's: dev.dr.cli.Main and the schemas are in its jar.
        try (ZipFile jar = new ZipFile(builtJar(jbangHome).toFile())) {
            assertThat(jar.getEntry("dev/dr/cli/Main.class")).isNotNull();
            for (String schema : schemaEntries()) {
                assertThat(jar.getEntry(schema)).as(schema).isNotNull();
            }
        }
    }

    /** The README's first command: a whole drill against the sandbox, through JBang. */
    @Test
    void theReadmesSandboxDrillRunsThroughJbang() throws Exception {
        Path target = ROOT.resolve("target");
        Path out = target.resolve("jbang-sandbox.out");
        Path err = target.resolve("jbang-sandbox.err");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("jbang").toString(), "dr@catalog", "apply",
                "examples/sandbox/drill.yaml", "--yes")
                .directory(ROOT.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JBANG_DIR", target.resolve("jbang-home").toString());
        pb.environment().put("DR_STARTUP_CACHE", "off");
        pb.environment().put("RECEIPT_DIR", target.resolve("sandbox-receipts").toString());
        pb.environment().put("DR_LOCK_DIR", target.resolve("sandbox-locks").toString());
        pb.environment().put("RUN_ID", "readme-sandbox-" + System.nanoTime());
        pb.environment().remove("DR_JBANG_DELEGATED");
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("the sandbox drill did not finish in 5 minutes:\n" + Files.readString(err));
        }
        assertThat(p.exitValue()).as("exit code; stderr:%n%s", Files.readString(err)).isZero();
        assertThat(Files.readString(out)).contains("planDigest: sha256:").contains(": success");
        assertThat(Files.readString(err)).contains("bringup: success").contains("restore: success")
                .contains("validate: success").contains("promote: success").contains("teardown: success")
                // the sandbox server's own class path has S3Proxy's logback: its output stays in sandbox.log
                .doesNotContain("SLF4J").doesNotContain("DEBUG");
    }

    private static Path builtJar(Path jbangHome) throws IOException {
        try (Stream<Path> jars = Files.walk(jbangHome.resolve("cache/jars"))) {
            List<Path> found = jars.filter(f -> f.getFileName().toString().equals("dr.jar")).collect(Collectors.toList());
            assertThat(found).as("jars JBang built").hasSize(1);
            return found.get(0);
        }
    }

    private static List<String> schemaEntries() throws IOException {
        Path schema = ROOT.resolve("schema");
        if (!Files.isDirectory(schema)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(schema)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> "schema/" + schema.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toList());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(f);
                }
            }
        }
    }
}

package dev.dr.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./jbang wrapper's own behaviour, on small scripts in a temporary project with a JBang home
 * of its own (JBANG_DIR): the fast path that runs the last command line JBang printed, and
 * each kind of change that must send it back to JBang; the linking of an installed JDK that a
 * script asks for and JBang does not know; the message when there is none.
 *
 * <p>Whether JBang's launcher ran is seen from the outside: the launcher JVM is started from
 * JAVA_HOME, here a JDK folder whose bin/java logs its arguments and runs the real one.
 */
class JbangWrapperTest {

    private static final Path ROOT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    private static final Path REAL_JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err, int launches) {
    }

    @Test
    void fastPathRunsTheLastCommandLineUntilAnyInputChanges() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Path javaHome = loggingJdk(tmp.resolve("jdk"));
        // Without the launcher's class archive: writing one for this temporary java costs time.
        Map<String, String> env = Map.of("JBANG_DIR", tmp.resolve("jbang-home").toString(),
                "JAVA_HOME", javaHome.toString(), "DR_JBANG_NO_CDS", "1");
        write(project.resolve("app.java"), """
                //JAVA 17+
                //DEPS info.picocli:picocli:4.7.7
                //SOURCES src/**/*.java
                //FILES conf/=conf/**
                //JAVA_OPTIONS -Dcache.dir=${user.home}/.cache/app
                class app {
                    public static void main(String[] args) throws Exception {
                        var text = new String(app.class.getResourceAsStream("/conf/greeting.txt").readAllBytes()).strip();
                        System.out.println(p.Greeting.word() + " " + text + " " + String.join(" ", args));
                    }
                }
                """);
        write(project.resolve("src/p/Greeting.java"), "package p; public class Greeting { public static String word() { return \"hello\"; } }\n");
        write(project.resolve("conf/greeting.txt"), "from conf\n");
        write(project.resolve("jbang-catalog.json"), """
                {"aliases": {"app": {"script-ref": "app.java"}},
                 "catalogs": {"catalog": {"catalog-ref": "jbang-catalog.json"}}}
                """);

        // The first run builds and keeps the line; the next ones skip JBang (${user.home}, which
        // JBang fills in, is the same for every run in this home, as in runner/dr.java).
        assertLaunchedThenFast(project, env, "nothing yet", "hello from conf x\n");
        assertFast(project, env, "hello from conf x\n");
        assertThat(run(project, env, "app@catalog", "y").launches()).as("other arguments").isPositive();

        write(project.resolve("src/p/Greeting.java"), "package p; public class Greeting { public static String word() { return \"hi\"; } }\n");
        assertLaunchedThenFast(project, env, "a changed source", "hi from conf x\n");

        write(project.resolve("src/p/deeper/Extra.java"), "package p.deeper; class Extra {}\n");
        assertLaunchedThenFast(project, env, "a new source file in a new folder", "hi from conf x\n");

        write(project.resolve("conf/greeting.txt"), "from new conf\n");
        assertLaunchedThenFast(project, env, "a changed resource", "hi from new conf x\n");

        Path catalog = project.resolve("jbang-catalog.json");
        Files.setLastModifiedTime(catalog, FileTime.from(Instant.now().plusSeconds(5)));
        assertLaunchedThenFast(project, env, "the catalog touched", "hi from new conf x\n");

        write(project.resolve("app.java"), Files.readString(project.resolve("app.java")) + "// a comment\n");
        assertLaunchedThenFast(project, env, "the script itself", "hi from new conf x\n");

        Path release = javaHome.resolve("release");
        Files.setLastModifiedTime(release, FileTime.from(Instant.now().plusSeconds(5)));
        assertLaunchedThenFast(project, env, "the JDK's release file", "hi from new conf x\n");

        // The jar JBang built is on the class path: gone, JBang builds it again.
        deleteTree(tmp.resolve("jbang-home/cache/jars"));
        Run rebuilt = run(project, env, "app@catalog", "x");
        assertThat(rebuilt.launches()).as("the built jar deleted").isPositive();
        assertThat(rebuilt.out()).isEqualTo("hi from new conf x\n");

        Map<String, String> otherEnv = new HashMap<>(env);
        otherEnv.put("JBANG_REPO", System.getProperty("user.home") + "/.m2/repository");
        assertThat(run(project, otherEnv, "app@catalog", "x").launches()).as("another JBANG_ variable").isPositive();
        Map<String, String> noFast = new HashMap<>(env);
        noFast.put("DR_JBANG_NO_FAST", "1");
        assertThat(run(project, noFast, "app@catalog", "x").launches()).as("DR_JBANG_NO_FAST=1").isPositive();
        assertThat(run(project, noFast, "app@catalog", "x").launches()).as("DR_JBANG_NO_FAST=1 again").isPositive();
    }

    /**
     * A script whose options name families of commands (dr.java: -Ddr.aot.family.s3=...) has
     * those commands' JVM given the family's cache: FILE-s3.aot where the options say FILE.aot,
     * whether JBang printed the line just now or the fast path runs it again.
     */
    @Test
    void aCommandOfAFamilyGetsTheFamilysCache() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        Map<String, String> env = Map.of("JBANG_DIR", tmp.resolve("jbang-home").toString(),
                "JAVA_HOME", loggingJdk(tmp.resolve("jdk")).toString(), "DR_JBANG_NO_CDS", "1");
        write(project.resolve("app.java"), """
                //JAVA 17+
                //JAVA_OPTIONS -Ddr.aot.cache=${user.home}/.cache/app/app.aot -Ddr.aot.family.s3=apply,bundle
                class app {
                    public static void main(String[] args) {
                        String cache = System.getProperty("dr.aot.cache");
                        System.out.println(cache.substring(cache.lastIndexOf('/') + 1) + " " + String.join(" ", args));
                    }
                }
                """);
        Run first = run(project, env, "app.java", "bundle", "publish");
        assertThat(first.launches()).isPositive();
        assertThat(first.out()).isEqualTo("app-s3.aot bundle publish\n");
        Run again = run(project, env, "app.java", "bundle", "publish");
        assertThat(again.launches()).as("the fast path").isZero();
        assertThat(again.out()).isEqualTo("app-s3.aot bundle publish\n");
        assertThat(run(project, env, "app.java", "apply", "x.yaml").out()).isEqualTo("app-s3.aot apply x.yaml\n");
        assertThat(run(project, env, "app.java", "plan", "bundle").out()).isEqualTo("app.aot plan bundle\n");
        assertThat(run(project, env, "app.java", "applying").out()).isEqualTo("app.aot applying\n");
        assertThat(run(project, env, "app.java").out()).isEqualTo("app.aot \n");
        Map<String, String> noFast = new HashMap<>(env);
        noFast.put("DR_JBANG_NO_FAST", "1");
        assertThat(run(project, noFast, "app.java", "apply").out()).isEqualTo("app-s3.aot apply\n");
    }

    @Test
    void linksAnInstalledJdkTheScriptNeedsAndJbangDoesNotKnow() throws Exception {
        Path jdks = Files.createDirectories(tmp.resolve("jvms"));
        Path fake = fakeJdk(jdks.resolve("fake-88"), "88.0.1");
        fakeJdk(jdks.resolve("fake-90"), "90");
        fakeJdk(jdks.resolve("old-11"), "11.0.2");
        Path jbangHome = tmp.resolve("jbang-home");
        write(tmp.resolve("needs88.java"), """
                //JAVA 88+
                class needs88 { public static void main(String[] args) { System.out.println("ran"); } }
                """);
        Map<String, String> env = Map.of("JBANG_DIR", jbangHome.toString(), "DR_JBANG_JDKS", jdks.toString());

        Run first = run(tmp, env, "needs88.java");
        assertThat(first.exit()).as("stderr:%n%s", first.err()).isZero();
        assertThat(first.out()).isEqualTo("ran\n");
        // The oldest that is new enough, linked with JBang's own command, said in one line.
        assertThat(first.err().lines().filter(l -> l.startsWith("jbang: linked"))).containsExactly(
                "jbang: linked the JDK 88 installed at " + fake + " for JBang (jbang jdk install 88 " + fake + ")");
        assertThat(Files.readSymbolicLink(jbangHome.resolve("cache/jdks/88"))).isEqualTo(fake);

        Run second = run(tmp, env, "needs88.java");
        assertThat(second.out()).isEqualTo("ran\n");
        assertThat(second.err()).doesNotContain("linked");
    }

    @Test
    void saysHowToGetJavaWhenNoJdkIsNewEnough() throws Exception {
        Path jdks = Files.createDirectories(tmp.resolve("jvms"));
        fakeJdk(jdks.resolve("old-11"), "11.0.2");
        write(tmp.resolve("needs99.java"), """
                //JAVA 99+
                class needs99 { public static void main(String[] args) { System.out.println("ran"); } }
                """);
        Run r = run(tmp, Map.of("JBANG_DIR", tmp.resolve("jbang-home").toString(), "DR_JBANG_JDKS", jdks.toString()),
                "needs99.java");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().filter(l -> l.startsWith("jbang: this needs"))).containsExactly(
                "jbang: this needs Java 99 or newer: none was found (JAVA_HOME, java on PATH, " + jdks
                        + ") and JBang could not download one. Install a JDK 99 (e.g. Temurin 99) or set JAVA_HOME to one, then run again.");
        assertThat(tmp.resolve("jbang-home/cache/jdks/99")).doesNotExist();
    }

    private void assertLaunchedThenFast(Path project, Map<String, String> env, String change, String expected) throws Exception {
        Run launched = run(project, env, "app@catalog", "x");
        assertThat(launched.launches()).as("JBang launched after %s; stderr:%n%s", change, launched.err()).isPositive();
        assertThat(launched.out()).as(change).isEqualTo(expected);
        assertFast(project, env, expected);
    }

    private void assertFast(Path project, Map<String, String> env, String expected) throws Exception {
        Run fast = run(project, env, "app@catalog", "x");
        assertThat(fast.launches()).as("the fast path; stderr:%n%s", fast.err()).isZero();
        assertThat(fast.exit()).isZero();
        assertThat(fast.out()).isEqualTo(expected);
    }

    /**
     * The wrapper's cache for this test: its fast-path entries must not stay in the user's cache.
     * JBang itself is taken from the user's cache when the wrapper fetched it there already.
     */
    private Path cacheOfThisTest() throws IOException {
        Path cache = tmp.resolve("xdg-cache");
        String version = Files.readAllLines(ROOT.resolve("jbang")).stream().filter(l -> l.startsWith("JBANG_VERSION="))
                .findFirst().orElseThrow().substring("JBANG_VERSION=".length());
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path users = (xdg == null || xdg.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg))
                .resolve("dr/jbang-" + version + "/lib");
        Path lib = cache.resolve("dr/jbang-" + version + "/lib");
        if (Files.isDirectory(users) && !Files.exists(lib, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(lib.getParent());
            Files.createSymbolicLink(lib, users);
        }
        return cache;
    }

    /** Runs ./jbang ARGS in DIR; counts how often JBang's launcher JVM started from the logging JDK. */
    private Run run(Path dir, Map<String, String> extraEnv, String... args) throws Exception {
        Path log = tmp.resolve("java.log");
        Files.deleteIfExists(log);
        Path out = tmp.resolve("run.out");
        Path err = tmp.resolve("run.err");
        ProcessBuilder pb = new ProcessBuilder(concat(ROOT.resolve("jbang").toString(), args)).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        for (String name : List.copyOf(env.keySet())) {
            if (name.startsWith("JBANG_") || name.startsWith("DR_JBANG_") || name.equals("JAVA_HOME")) {
                env.remove(name);
            }
        }
        env.putAll(extraEnv);
        env.put("JAVA_LOG", log.toString());
        env.put("XDG_CACHE_HOME", cacheOfThisTest().toString());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("./jbang did not finish in 5 minutes:\n" + Files.readString(err));
        }
        int launches = Files.exists(log)
                ? (int) Files.readAllLines(log).stream().filter(l -> l.contains("dev.jbang.Main")).count()
                : 0;
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err), launches);
    }

    /** A JDK folder around the running one whose java logs each command line to $JAVA_LOG. */
    private static Path loggingJdk(Path home) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.copy(REAL_JDK.resolve("release"), home.resolve("release"));
        for (String tool : List.of("javac", "jar")) {
            Files.createSymbolicLink(home.resolve("bin").resolve(tool), REAL_JDK.resolve("bin").resolve(tool));
        }
        Path java = home.resolve("bin/java");
        write(java, "#!/bin/sh\nif [ -n \"$JAVA_LOG\" ]; then echo \"$*\" >> \"$JAVA_LOG\"; fi\nexec '"
                + REAL_JDK.resolve("bin/java") + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /** A JDK folder that says it is VERSION in its release file and runs the running JDK. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        for (String tool : List.of("java", "javac", "jar")) {
            Files.createSymbolicLink(home.resolve("bin").resolve(tool), REAL_JDK.resolve("bin").resolve(tool));
        }
        write(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(f);
            }
        }
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}

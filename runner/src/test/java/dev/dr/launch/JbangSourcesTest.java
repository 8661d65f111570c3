package dev.dr.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Maven compiles every source file; JBang compiles dr (runner/dr.java) and the sandbox server
 * (runner/sandbox.java) apart, so that the server's libraries stay off the class path every dr
 * command starts with. JBang's globs cannot leave a file out, so dr.java names the step packages
 * one by one. This test keeps the two scripts' //SOURCES covering every file, and the server's
 * libraries out of what dr compiles.
 */
class JbangSourcesTest {

    private static final Path ROOT = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
    private static final Path RUNNER = ROOT.resolve("runner");
    private static final List<String> SOURCE_ROOTS = List.of("runner/src/main/java", "steps/src/main/java");
    /** Packages of the sandbox server's libraries, which only runner/sandbox.java brings. */
    private static final Pattern SERVER_IMPORT = Pattern.compile(
            "(?m)^import\\s+(static\\s+)?(org\\.gaul|org\\.jclouds|io\\.fabric8\\.mockwebserver"
                    + "|io\\.fabric8\\.kubernetes\\.client\\.server\\.mock|jakarta\\.servlet)\\.");

    @Test
    void everySourceFileIsCompiledByOneOfTheScripts() throws IOException {
        Set<Path> dr = sources(RUNNER.resolve("dr.java"));
        Set<Path> sandbox = sources(RUNNER.resolve("sandbox.java"));
        assertThat(sandbox).as("runner/sandbox.java's //SOURCES").isNotEmpty();
        List<String> neither = new ArrayList<>();
        for (Path f : mavenSources()) {
            if (!dr.contains(f) && !sandbox.contains(f)) {
                neither.add(ROOT.relativize(f) + ": in neither script's //SOURCES; name its package in runner/dr.java");
            }
        }
        assertThat(neither).isEmpty();
    }

    @Test
    void drCompilesNothingThatNeedsTheSandboxServersLibraries() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path f : sources(RUNNER.resolve("dr.java"))) {
            if (SERVER_IMPORT.matcher(Files.readString(f)).find()) {
                found.add(ROOT.relativize(f) + " imports a library only runner/sandbox.java has");
            }
        }
        assertThat(found).isEmpty();
        assertThat(DepsAgreementTest.directives(Files.readAllLines(RUNNER.resolve("dr.java")), "DEPS"))
                .as("runner/dr.java's //DEPS: the sandbox server's libraries would be on every command's class path")
                .noneMatch(d -> d.startsWith("org.gaul:") || d.startsWith("io.fabric8:kubernetes-server-mock"));
    }

    @Test
    void theServerIsCompiledOnlyForTheSandbox() throws IOException {
        Path server = ROOT.resolve("steps/src/main/java/dev/dr/steps/sandbox/SandboxServer.java");
        assertThat(sources(RUNNER.resolve("sandbox.java"))).contains(server);
        assertThat(sources(RUNNER.resolve("dr.java"))).doesNotContain(server);
    }

    @Test
    void sourcesAreMatchedAsJbangMatchesThem(@TempDir Path dir) throws IOException {
        for (String f : List.of("src/a/A.java", "src/a/deep/B.java", "src/b/C.java", "src/Top.java", "src/a/notes.txt")) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "");
        }
        Path script = dir.resolve("runner/x.java");
        Files.createDirectories(script.getParent());
        Files.writeString(script, String.join("\n", "//SOURCES ../src/a/**.java", "//SOURCES ../src/*.java",
                "//SOURCES ../src/b/C.java", ""));
        assertThat(sources(script)).extracting(p -> dir.relativize(p).toString().replace('\\', '/'))
                .containsExactly("src/Top.java", "src/a/A.java", "src/a/deep/B.java", "src/b/C.java");
    }

    /** The files a script's //SOURCES name: globs as JBang reads them (against the script's folder), or one file. */
    static Set<Path> sources(Path script) throws IOException {
        Path scriptDir = script.getParent();
        Set<Path> files = new TreeSet<>();
        for (String entry : DepsAgreementTest.directives(Files.readAllLines(script), "SOURCES")) {
            if (!entry.contains("*") && !entry.contains("?")) {
                Path f = scriptDir.resolve(entry).normalize();
                assertThat(f).as("%s: //SOURCES %s", script.getFileName(), entry).isRegularFile();
                files.add(f);
                continue;
            }
            PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + entry);
            Path base = scriptDir.resolve(DepsAgreementTest.globBase(entry));
            try (Stream<Path> walk = Files.walk(base)) {
                walk.filter(Files::isRegularFile).filter(f -> glob.matches(scriptDir.relativize(f)))
                        .forEach(f -> files.add(f.normalize()));
            }
        }
        return files;
    }

    private static Set<Path> mavenSources() throws IOException {
        Set<Path> files = new TreeSet<>();
        for (String root : SOURCE_ROOTS) {
            try (Stream<Path> walk = Files.walk(ROOT.resolve(root))) {
                walk.filter(f -> f.toString().endsWith(".java")).forEach(f -> files.add(f.normalize()));
            }
        }
        assertThat(files).as("Maven's source files").isNotEmpty();
        return files;
    }
}

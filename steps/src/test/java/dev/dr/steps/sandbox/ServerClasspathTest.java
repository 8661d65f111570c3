package dev.dr.steps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.sandbox.SandboxServer;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the sandbox server's class path comes from: dr's own, or JBang's for runner/sandbox.java. */
class ServerClasspathTest {

    /** Sees the JDK only, as dr's class loader under JBang sees none of the server's classes. */
    private static final ClassLoader WITHOUT_SERVER = new URLClassLoader(new URL[0], null);

    @TempDir
    Path tmp;

    @Test
    void mavensClassPathHoldsTheServer() throws Exception {
        assertThat(SandboxFiles.SERVER_CLASS).isEqualTo(SandboxServer.class.getName());
        assertThat(ServerClasspath.hasServer(getClass().getClassLoader())).isTrue();
        assertThat(ServerClasspath.resolve(getClass().getClassLoader(), tmp, tmp.resolve("log")))
                .isEqualTo(System.getProperty("java.class.path"));
        assertThat(tmp.resolve("log")).doesNotExist();
    }

    @Test
    void withoutTheServerJbangIsAskedForTheScriptsClassPathFromTheProjectFolder() throws Exception {
        Path root = project();
        Path jar = Files.writeString(tmp.resolve("sandbox.jar"), "");
        jbang(root, "echo \"[jbang] Resolving dependencies...\" >&2\necho \"" + jar + File.pathSeparator + jar + "\"");
        Path sub = Files.createDirectories(root.resolve("examples/sandbox"));
        Path log = Files.createDirectories(tmp.resolve("work")).resolve("sandbox.log");

        assertThat(ServerClasspath.resolve(WITHOUT_SERVER, sub, log)).isEqualTo(jar + File.pathSeparator + jar);
        assertThat(Files.readString(root.resolve("calls"))).isEqualTo("info classpath runner/sandbox.java\n");
        assertThat(Files.readString(log)).contains("[jbang] Resolving dependencies...");
    }

    @Test
    void aScriptNotBuiltYetIsBuiltFirst() throws Exception {
        Path root = project();
        Path jar = tmp.resolve("cache/sandbox.jar");
        // as JBang does: info names the jar of the build, which only build makes
        jbang(root, "if [ \"$1\" = build ]; then mkdir -p " + jar.getParent() + " && touch " + jar + "; fi\necho " + jar);
        Path log = tmp.resolve("sandbox.log");

        assertThat(ServerClasspath.resolve(WITHOUT_SERVER, root, log)).isEqualTo(jar.toString());
        assertThat(Files.readString(root.resolve("calls"))).isEqualTo(
                "info classpath runner/sandbox.java\nbuild runner/sandbox.java\ninfo classpath runner/sandbox.java\n");
    }

    @Test
    void aFailingJbangFailsTheBringupNamingTheLog() throws Exception {
        Path root = project();
        jbang(root, "echo 'error: Could not resolve dependency org.gaul:s3proxy:2.7.0' >&2\nexit 2");
        Path log = tmp.resolve("sandbox.log");

        assertThatThrownBy(() -> ServerClasspath.resolve(WITHOUT_SERVER, root, log))
                .isInstanceOf(StepFailure.class)
                .hasMessage(root.resolve("jbang") + " info classpath runner/sandbox.java failed (exit 2); see " + log)
                .extracting(e -> ((StepFailure) e).errorClass()).isEqualTo(ErrorClass.PERMANENT);
        assertThat(Files.readString(log)).contains("Could not resolve dependency org.gaul:s3proxy:2.7.0");
    }

    @Test
    void aBuildThatStillLacksAnEntryIsAFailure() throws Exception {
        Path root = project();
        jbang(root, "echo " + tmp.resolve("never-built.jar"));
        Path log = tmp.resolve("sandbox.log");

        assertThatThrownBy(() -> ServerClasspath.resolve(WITHOUT_SERVER, root, log))
                .isInstanceOf(StepFailure.class)
                .hasMessage("JBang built runner/sandbox.java but its class path lacks "
                        + tmp.resolve("never-built.jar") + "; see " + log);
    }

    @Test
    void outsideTheProjectTheBringupSaysWhereToRunDr() {
        assertThatThrownBy(() -> ServerClasspath.resolve(WITHOUT_SERVER, tmp, tmp.resolve("log")))
                .isInstanceOf(StepFailure.class)
                .hasMessage("the sandbox server is not on dr's class path and there is no runner/sandbox.java in "
                        + tmp + " or a folder above it: run dr from the project folder,"
                        + " e.g. ./jbang dr@catalog apply examples/sandbox/drill.yaml");
    }

    @Test
    void theProjectFolderIsTheNearestHoldingTheScript() throws Exception {
        Path root = project();
        Path deep = Files.createDirectories(root.resolve("a/b/c"));
        assertThat(ServerClasspath.projectRoot(deep)).contains(root);
        assertThat(ServerClasspath.projectRoot(root)).contains(root);
        assertThat(ServerClasspath.projectRoot(tmp)).isEmpty();
        // without the project's wrapper, an installed jbang
        assertThat(ServerClasspath.jbang(root)).isEqualTo("jbang");
    }

    @Test
    void theClassPathIsTheLastLineJbangPrints() {
        assertThat(ServerClasspath.entries("[jbang] note\n/a.jar:/b.jar\n")).containsExactly("/a.jar", "/b.jar");
        assertThat(ServerClasspath.entries("\n")).isEmpty();
        assertThat(ServerClasspath.missing(List.of())).containsExactly("every entry (JBang printed none)");
        assertThat(ServerClasspath.missing(List.of(tmp.toString(), tmp.resolve("gone.jar").toString())))
                .containsExactly(tmp.resolve("gone.jar").toString());
    }

    private Path project() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(root.resolve("runner"));
        Files.writeString(root.resolve(ServerClasspath.SCRIPT), "class sandbox {}\n");
        return root;
    }

    /** A stand-in for the project's ./jbang that records its arguments and runs {@code body}. */
    private static void jbang(Path root, String body) throws Exception {
        Path script = root.resolve("jbang");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> \"$(dirname \"$0\")/calls\"\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}

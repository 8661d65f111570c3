package dev.dr.steps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** sandbox.down stops the sandbox's server only: a pid that another process got since is left alone. */
class SandboxDownTest {

    @TempDir
    Path tmp;

    /** The context of a teardown whose receipts name {@code pid} as the sandbox's. */
    StepContext teardownOf(long pid) {
        return new StepContext() {
            @Override public JsonNode with() { return dev.dr.json.JsonTrees.read("{}"); }
            @Override public Optional<String> setting(String path) { return Optional.empty(); }
            @Override public Map<String, String> outputs() { return Map.of("sandbox.pid", Long.toString(pid)); }
            @Override public Path workDir() { return tmp; }
            @Override public void log(String line) {}
        };
    }

    @Test
    void aProcessThatIsNotTheSandboxIsNeverStopped() throws Exception {
        // A command line over 4 KiB, as the server's is, so the JDK cannot tell its arguments.
        Process other = new ProcessBuilder(List.of("bash", "-c", "sleep 60; true", "other", "x".repeat(5000))).start();
        try {
            assertThat(SandboxOps.down(teardownOf(other.pid())).outputs()).containsEntry("runners.left", "0");
            assertThat(other.isAlive()).as("a process that is not the sandbox's server").isTrue();
        } finally {
            other.destroyForcibly();
            other.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theSandboxServerIsStopped() throws Exception {
        // Any process whose command line names the server class counts as the server.
        Process server = new ProcessBuilder(List.of("bash", "-c", "sleep 60; true", SandboxFiles.SERVER_CLASS,
                "x".repeat(5000))).start();
        try {
            assertThat(SandboxOps.down(teardownOf(server.pid())).outputs()).containsEntry("runners.left", "0");
            assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("stopped").isTrue();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aTeardownWithoutABringupSaysSo() {
        StepContext none = new StepContext() {
            @Override public JsonNode with() { return dev.dr.json.JsonTrees.read("{}"); }
            @Override public Optional<String> setting(String path) { return Optional.empty(); }
            @Override public Map<String, String> outputs() { return Map.of(); }
            @Override public Path workDir() { return tmp; }
            @Override public void log(String line) {}
        };
        assertThatThrownBy(() -> SandboxOps.down(none)).isInstanceOf(StepFailure.class).hasMessageContaining("no sandbox.pid");
    }
}

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

    /** The context of a step of a run in {@code receipts/<run>} of the sandbox's target, with these outputs. */
    StepContext stepOf(String run, String namespace, Map<String, String> outputs) {
        Path receipt = tmp.resolve("receipts").resolve(run);
        Map<String, String> target = Map.of("target.accountId", "000000000000", "target.region", "us-east-1",
                "target.namespace", namespace);
        return new StepContext() {
            @Override public JsonNode with() { return dev.dr.json.JsonTrees.read("{}"); }
            @Override public Optional<String> setting(String path) { return Optional.ofNullable(target.get(path)); }
            @Override public Map<String, String> outputs() { return outputs; }
            @Override public Path workDir() { return receipt.resolve("work"); }
            @Override public Path receiptDir() { return receipt; }
            @Override public void log(String line) {}
        };
    }

    static Process fakeServer() throws java.io.IOException {
        return new ProcessBuilder(List.of("bash", "-c", "sleep 60; true", SandboxFiles.SERVER_CLASS, "x".repeat(5000))).start();
    }

    @Test
    void aTeardownWithoutTheBringupsReceiptStopsWhatTheTargetsStateRecords() throws Exception {
        Process ours = fakeServer();
        Process otherTarget = fakeServer();
        try {
            SandboxState.of(stepOf("up", "jobintel", Map.of())).add(new SandboxState.Entry(ours.pid(),
                    ours.toHandle().info().startInstant(), tmp.resolve("receipts/up/work/sandbox")));
            SandboxState.of(stepOf("other", "elsewhere", Map.of())).add(new SandboxState.Entry(otherTarget.pid(),
                    otherTarget.toHandle().info().startInstant(), tmp.resolve("receipts/other/work/sandbox")));
            // the runbook's last command: --start-at teardown --teardown true, no receipt dir
            StepContext teardown = stepOf("final-teardown", "jobintel", Map.of());
            assertThat(SandboxOps.down(teardown).outputs()).containsEntry("runners.left", "0");
            assertThat(ours.waitFor(10, TimeUnit.SECONDS)).as("the target's sandbox stopped").isTrue();
            assertThat(otherTarget.isAlive()).as("another target's sandbox").isTrue();
            assertThat(SandboxState.of(teardown).entries()).isEmpty();
            // once stopped, a second teardown finds nothing running and says so: 0 runners
            assertThat(SandboxOps.down(teardown).outputs()).containsEntry("runners.left", "0");
        } finally {
            ours.destroyForcibly();
            otherTarget.destroyForcibly();
        }
    }

    @Test
    void aTeardownThatFindsNeitherReceiptNorStateNamesWhereItLooked() {
        StepContext teardown = stepOf("final-teardown", "jobintel", Map.of());
        assertThatThrownBy(() -> SandboxOps.down(teardown)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("no sandbox.pid in the receipts and no sandbox state at "
                        + tmp.resolve("receipts/.sandbox-state/000000000000_us-east-1_jobintel"));
    }

    @Test
    void aTeardownWithTheBringupsReceiptStopsThatOneAndForgetsIt() throws Exception {
        Process ours = fakeServer();
        Process second = fakeServer();
        try {
            SandboxState state = SandboxState.of(stepOf("up", "jobintel", Map.of()));
            state.add(new SandboxState.Entry(ours.pid(), ours.toHandle().info().startInstant(), tmp.resolve("a")));
            state.add(new SandboxState.Entry(second.pid(), second.toHandle().info().startInstant(), tmp.resolve("b")));
            SandboxOps.down(stepOf("down", "jobintel", Map.of("sandbox.pid", Long.toString(ours.pid()))));
            assertThat(ours.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(second.isAlive()).isTrue();
            assertThat(state.entries()).extracting(SandboxState.Entry::pid).containsExactly(second.pid());
        } finally {
            ours.destroyForcibly();
            second.destroyForcibly();
        }
    }
}

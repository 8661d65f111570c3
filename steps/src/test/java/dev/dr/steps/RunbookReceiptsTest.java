package dev.dr.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.StepContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The runbook's receipt files: in the receipt folder, not the work folder; sorted, shell-safe, owner-only. */
class RunbookReceiptsTest {
    @TempDir
    Path dir;

    /** A context whose receipt folder is not its work folder, as in a run. */
    StepContext ctx() {
        return new StepContext() {
            @Override public JsonNode with() { return null; }
            @Override public Optional<String> setting(String path) { return Optional.empty(); }
            @Override public Map<String, String> outputs() { return Map.of(); }
            @Override public Path workDir() { return dir.resolve("run/work"); }
            @Override public Path receiptDir() { return dir.resolve("run"); }
            @Override public void log(String line) { }
        };
    }

    @Test
    void envValuesComeBackExactlyFromAShell() throws Exception {
        TreeMap<String, String> facts = new TreeMap<>(Map.of("B", "it's $HOME `x` \"q\" \\ ;", "A", "s3://b/p/x.tar.gz", "EMPTY", ""));
        Path f = RunbookReceipts.env(ctx(), "control-plane/fetch/fetch.summary.env", facts);
        assertThat(f).isEqualTo(dir.resolve("run/control-plane/fetch/fetch.summary.env"));
        assertThat(Files.readString(f)).startsWith("A='s3://b/p/x.tar.gz'\nB=");
        Process p = new ProcessBuilder("bash", "-c", ". \"$1\"; printf '%s|%s|%s' \"$A\" \"$B\" \"$EMPTY\"", "bash", f.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).isEqualTo("s3://b/p/x.tar.gz|it's $HOME `x` \"q\" \\ ;|");
        assertThatThrownBy(() -> RunbookReceipts.env(ctx(), "x.env", new TreeMap<>(Map.of("not-a-name", "v"))))
                .hasMessageContaining("not a shell variable name: not-a-name");
    }

    @Test
    void jsonHasSortedKeysAndAFinalNewline() throws Exception {
        Path f = RunbookReceipts.json(ctx(), "a.json", Map.of("zeta", 1, "alpha", List.of("b", "a"), "mid", "x"));
        assertThat(Files.readString(f)).isEqualTo("{\n  \"alpha\" : [ \"b\", \"a\" ],\n  \"mid\" : \"x\",\n  \"zeta\" : 1\n}\n");
    }

    @Test
    void theKubeconfigCopyIsOwnerOnlyWhateverTheSourceMode() throws Exception {
        Path source = dir.resolve("source.yaml");
        Files.writeString(source, "apiVersion: v1\nkind: Config\n");
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rw-r--r--"));
        Path copy = RunbookReceipts.kubeconfig(ctx(), source);
        assertThat(copy).isEqualTo(dir.resolve("run/kubeconfig.yaml")).hasSameBinaryContentAs(source);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("rw-------");
        Files.writeString(source, "apiVersion: v1\nkind: Config\n# replaced\n");
        RunbookReceipts.kubeconfig(ctx(), source);
        assertThat(copy).hasSameBinaryContentAs(source);
        try (var left = Files.list(copy.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactly("kubeconfig.yaml");
        }
    }

    @Test
    void linesAreAppended() throws Exception {
        RunbookReceipts.append(ctx(), "state_transitions.log", "one");
        RunbookReceipts.append(ctx(), "state_transitions.log", "two");
        assertThat(dir.resolve("run/state_transitions.log")).hasContent("one\ntwo");
    }
}

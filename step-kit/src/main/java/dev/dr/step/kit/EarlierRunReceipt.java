package dev.dr.step.kit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a bringup run leaves for later runs: a successful bringup receipt whose outputs say where
 * the environment is (kubeconfig, s3.endpoint, aws.endpoint). Plans name its folder in
 * run.fromReceipt, as the runbook's restore-only and validate-only runs do.
 */
public final class EarlierRunReceipt {
    private EarlierRunReceipt() {}

    /** Writes {@code <receipts>/<runId>/phases/bringup.json}; returns the run folder. */
    public static Path write(Path receipts, String runId, Map<String, String> outputs) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode n = json.createObjectNode();
        n.put("formatVersion", 1);
        n.put("kind", "phase");
        n.put("runId", runId);
        n.put("phase", "bringup");
        n.put("status", "success");
        n.putNull("reason");
        n.put("planDigest", "sha256:" + "0".repeat(64));
        n.put("operator", "test");
        n.put("startedAt", "2026-11-29T10:00:00Z");
        n.put("finishedAt", "2026-11-29T10:01:00Z");
        n.put("durationMs", 60000);
        n.putArray("attempts");
        ObjectNode o = n.putObject("outputs");
        new TreeMap<>(outputs).forEach(o::put);
        Path run = receipts.resolve(runId);
        Files.createDirectories(run.resolve("phases"));
        Files.writeString(run.resolve("phases/bringup.json"), json.writeValueAsString(n));
        return run;
    }
}

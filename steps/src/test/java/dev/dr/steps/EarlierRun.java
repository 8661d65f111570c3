package dev.dr.steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a bringup run leaves for later runs, for tests: a receipt whose outputs say where the
 * stand-in servers are (kubeconfig, s3.endpoint, aws.endpoint). Plans name its folder in
 * run.fromReceipt.
 */
public final class EarlierRun {
    private EarlierRun() {}

    /** Writes {@code <receipts>/<runId>/phases/bringup.json}; returns the run folder. */
    public static Path write(Path receipts, String runId, Map<String, String> outputs) throws IOException {
        return dev.dr.step.kit.EarlierRunReceipt.write(receipts, runId, outputs);
    }

    /** A kubeconfig for a server URL, written to {@code file}. */
    public static Path kubeconfig(Path file, String server) throws IOException {
        Files.writeString(file, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters: [{name: mock, cluster: {server: \"" + server + "\"}}]",
                "contexts: [{name: mock, context: {cluster: mock, user: mock}}]", "current-context: mock",
                "users: [{name: mock, user: {token: t}}]", ""));
        return file;
    }
}

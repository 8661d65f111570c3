package dev.dr.steps.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a bringup run leaves for later runs: a receipt whose kubeconfig output points at the cluster. */
final class EarlierBringup {
    private EarlierBringup() {}

    /** Writes the kubeconfig and the receipt under {@code dir}; returns the run folder (run.fromReceipt). */
    static Path write(Path dir, KubernetesClient client) throws IOException {
        Path kubeconfig = dir.resolve("kubeconfig.yaml");
        Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters: [{name: mock, cluster: {server: \"" + client.getMasterUrl() + "\"}}]",
                "contexts: [{name: mock, context: {cluster: mock, user: mock}}]", "current-context: mock",
                "users: [{name: mock, user: {token: t}}]", ""));
        Path run = dir.resolve("receipts/bringup-run");
        Path bringup = run.resolve("phases/bringup.json");
        Files.createDirectories(bringup.getParent());
        Files.writeString(bringup, "{\"formatVersion\":1,\"kind\":\"phase\",\"runId\":\"bringup-run\",\"phase\":\"bringup\","
                + "\"status\":\"success\",\"reason\":null,\"planDigest\":\"sha256:" + "0".repeat(64) + "\",\"operator\":\"t\","
                + "\"startedAt\":\"2026-11-29T10:00:00Z\",\"finishedAt\":\"2026-11-29T10:01:00Z\",\"durationMs\":60000,"
                + "\"attempts\":[],\"outputs\":{\"kubeconfig\":\"" + kubeconfig + "\"}}");
        return run;
    }
}

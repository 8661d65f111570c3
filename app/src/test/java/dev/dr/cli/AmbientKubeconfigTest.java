package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A DR plan never falls back to the operator's kubeconfig: with KUBECONFIG naming a "primary"
 * cluster (fabric8's mock API server) and neither a bringup receipt nor --kubeconfig, dr apply
 * refuses before anything runs (exit 3), names what to give, and sends the primary no request.
 * dr runs as its own process, so fabric8 would see KUBECONFIG as it would on an operator's shell.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class AmbientKubeconfigTest {

    static final String PLAN = "examples/sandbox/drill.yaml";

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path tmp;

    Map<String, String> env;

    @BeforeEach
    void primaryInKubeconfig() throws Exception {
        Path primary = tmp.resolve("primary.yaml");
        Files.writeString(primary, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters: [{name: primary, cluster: {server: \"" + client.getMasterUrl() + "\"}}]",
                "contexts: [{name: primary, context: {cluster: primary, user: primary, namespace: jobintel}}]",
                "current-context: primary", "users: [{name: primary, user: {token: t}}]", ""));
        env = Map.of("KUBECONFIG", primary.toString(), "HOME", tmp.toString(), "RECEIPT_DIR", tmp.resolve("receipts").toString(),
                "DR_LOCK_DIR", tmp.resolve("locks").toString(), "DR_OPERATOR", "tester");
    }

    CliProcess.Result dr(String... args) throws Exception {
        return CliProcess.run(CliProcess.classesDir(), env, List.of(), args);
    }

    @Test
    void validateOnlyWithoutABringupReceiptIsRefusedAndThePrimaryIsNotTouched() throws Exception {
        int before = server.getRequestCount();
        CliProcess.Result r = dr("apply", PLAN, "--validate-only", "--teardown", "false", "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        assertThat(r.err()).contains("dr: validate: k8s.run-job talks to the DR cluster, and nothing says which")
                .contains("A DR plan never reads KUBECONFIG or ~/.kube/config.")
                .contains("KUBECONFIG is set but a DR plan does not read it; pass --kubeconfig \"$KUBECONFIG\" or"
                        + " --receipt-dir <bringup receipt>.")
                .contains("Nothing was run.");
        assertThat(server.getRequestCount()).as("requests the primary got").isEqualTo(before);
        assertThat(tmp.resolve("receipts")).as("no run was started").doesNotExist();
    }

    @Test
    void restoreOnlyWithoutABringupReceiptIsRefusedAtItsFirstClusterStep() throws Exception {
        int before = server.getRequestCount();
        CliProcess.Result r = dr("apply", PLAN, "--start-at", "restore", "--stop-after", "restore", "--teardown", "false", "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
        // control-plane.fetch and backup.verify-contract read S3 only; the namespace is the first cluster step
        assertThat(r.err()).contains("dr: restore: k8s.namespace talks to the DR cluster");
        assertThat(server.getRequestCount()).as("requests the primary got").isEqualTo(before);
    }
}

package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.StepFailure;
import dev.dr.steps.EarlierRun;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KubeClients.openReadOnly, the client of a cluster dr must never change: GET only, from the file named alone. */
@EnableKubernetesMockClient(crud = true, https = false)
class ReadOnlyClientTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    @Test
    void readsButRefusesEveryWriteBeforeItLeaves() throws Exception {
        client.configMaps().inNamespace("jobintel").resource(new ConfigMapBuilder().withNewMetadata().withName("c")
                .endMetadata().withData(Map.of("k", "v")).build()).create();
        int before = server.getRequestCount();
        Path kubeconfig = EarlierRun.kubeconfig(dir.resolve("primary.kubeconfig"), client.getMasterUrl().toString());
        try (KubernetesClient primary = KubeClients.openReadOnly(kubeconfig, "primaryKubeconfig")) {
            assertThat(primary.configMaps().inNamespace("jobintel").withName("c").get().getData()).containsEntry("k", "v");
            int afterRead = server.getRequestCount();
            assertThat(afterRead).isEqualTo(before + 1);
            assertThatThrownBy(() -> primary.configMaps().inNamespace("jobintel").withName("c")
                    .edit(c -> new ConfigMapBuilder(c).withData(Map.of("k", "changed")).build()))
                    .hasStackTraceContaining("dr only reads this cluster: refused PATCH");
            assertThatThrownBy(() -> primary.configMaps().inNamespace("jobintel").withName("c").delete())
                    .hasStackTraceContaining("refused DELETE");
            // the edit's GET went out; its PUT and the DELETE never did
            assertThat(server.getRequestCount()).isEqualTo(afterRead + 1);
        }
        assertThat(client.configMaps().inNamespace("jobintel").withName("c").get().getData()).containsEntry("k", "v");
    }

    @Test
    void aMissingOrUnusableFileIsRefusedNamingTheSetting() throws Exception {
        assertThatThrownBy(() -> KubeClients.openReadOnly(dir.resolve("nowhere"), "primaryKubeconfig"))
                .isInstanceOf(StepFailure.class).hasMessageStartingWith("primaryKubeconfig: cannot read the kubeconfig "
                        + dir.resolve("nowhere"));
        Path noContext = Files.writeString(dir.resolve("empty.kubeconfig"), "apiVersion: v1\nkind: Config\n");
        assertThatThrownBy(() -> KubeClients.openReadOnly(noContext, "primaryKubeconfig"))
                .isInstanceOf(StepFailure.class).hasMessageStartingWith("primaryKubeconfig: " + noContext);
    }
}

package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.sandbox.DefaultingApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** k8s.apply of a manifest folder: live preview (create / update with the differing fields / unchanged), then apply. */
@ExtendWith(DefaultingApiServer.class)
class K8sApplyTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    Path plan;
    Path manifests;

    @BeforeEach
    void setUp() throws Exception {
        Path earlier = EarlierBringup.write(dir, client);
        manifests = dir.resolve("manifests");
        Files.createDirectories(manifests);
        Files.writeString(manifests.resolve("10-config.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-settings}", "data: {mode: dr, region: us-east-1}", ""));
        Files.writeString(manifests.resolve("20-cronjob.yaml"), String.join("\n", "apiVersion: batch/v1", "kind: CronJob",
                "metadata: {name: jobintel-daily}", "spec:", "  schedule: \"0 6 * * *\"", "  jobTemplate:", "    spec:",
                "      template:", "        spec:", "          restartPolicy: Never",
                "          containers: [{name: daily, image: r.example/jobintel:1}]", ""));
        plan = dir.resolve("plan.yaml");
        Files.writeString(plan, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: apply-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:",
                "  - name: restore",
                "    steps: [{uses: k8s.apply, with: {path: \"" + manifests + "\"}}]", ""));
    }

    DrRun dr(String... args) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString()), args);
    }

    List<String> requests() throws InterruptedException {
        List<String> methods = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            methods.add(r.getMethod());
        }
        return methods;
    }

    @Test
    void previewThenApplyThenAFieldLevelUpdate() throws Exception {
        requests();
        DrRun before = dr("plan", plan.toString());
        assertThat(before.exit()).as(before.err()).isZero();
        assertThat(before.out()).contains("+ create ConfigMap jobintel/jobintel-settings")
                .contains("+ create CronJob jobintel/jobintel-daily");
        assertThat(requests()).allMatch("GET"::equals);

        DrRun applied = dr("apply", plan.toString(), "--yes");
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(client.configMaps().inNamespace("jobintel").withName("jobintel-settings").get().getData())
                .containsEntry("mode", "dr");
        assertThat(client.batch().v1().cronjobs().inNamespace("jobintel").withName("jobintel-daily").get()).isNotNull();

        Files.writeString(manifests.resolve("10-config.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-settings}", "data: {mode: drill, region: us-east-1}", ""));
        requests();
        DrRun after = dr("plan", plan.toString());
        assertThat(after.out()).contains("~ update ConfigMap jobintel/jobintel-settings (data.mode)")
                .contains("= unchanged CronJob jobintel/jobintel-daily")
                .contains("1 unchanged");
        assertThat(requests()).allMatch("GET"::equals);
    }

    @Test
    void aFolderThatIsMissingIsAPermanentFailureOfThePreview() throws Exception {
        Files.walk(manifests).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        DrRun r = dr("plan", plan.toString());
        assertThat(r.out()).contains("live preview failed (permanent: k8s.apply: no folder " + manifests + ")");
    }
}

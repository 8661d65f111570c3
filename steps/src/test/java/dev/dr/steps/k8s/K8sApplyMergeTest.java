package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.sandbox.DefaultingApiServer;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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

/**
 * k8s.apply of a folder against an API server that defaults as a real one does (and, like
 * fabric8's mock, has no server-side apply): an unchanged folder previews as unchanged object by
 * object and re-applies without a write; what other clients set survives; what the manifest
 * drops is shown as removed and removed.
 */
@ExtendWith(DefaultingApiServer.class)
class K8sApplyMergeTest {
    static final String NS = "jobintel";

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    Path plan;
    Path manifests;

    static String deployment(String image, boolean withDebug, boolean withOwner) {
        return String.join("\n", "apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: jobintel-web",
                withOwner ? "  annotations: {dr.example/owner: drill}" : "", "spec:",
                "  selector: {matchLabels: {app: jobintel-web}}", "  template:", "    metadata: {labels: {app: jobintel-web}}",
                "    spec:", "      containers:", "      - name: web", "        image: " + image,
                "        ports: [{name: http, containerPort: 8080}]",
                "        env: [{name: MODE, value: dr}" + (withDebug ? ", {name: DEBUG, value: \"1\"}" : "") + "]",
                "        readinessProbe: {httpGet: {path: /ready, port: 8080}}",
                "        volumeMounts: [{name: scratch, mountPath: /scratch}]", "      volumes: [{name: scratch, emptyDir: {}}]", "");
    }

    @BeforeEach
    void setUp() throws Exception {
        Path earlier = EarlierBringup.write(dir, client);
        manifests = dir.resolve("manifests");
        Files.createDirectories(manifests);
        Files.writeString(manifests.resolve("10-config.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-settings}", "data: {mode: dr, region: us-east-1}", ""));
        Files.writeString(manifests.resolve("20-sa.yaml"), String.join("\n", "apiVersion: v1", "kind: ServiceAccount",
                "metadata: {name: jobintel-runner}", ""));
        Files.writeString(manifests.resolve("30-deploy.yaml"), deployment("r.example/web:1", true, true));
        Files.writeString(manifests.resolve("40-job.yaml"), String.join("\n", "apiVersion: batch/v1", "kind: Job",
                "metadata: {name: jobintel-migrate}", "spec:", "  template:", "    spec:", "      restartPolicy: Never",
                "      serviceAccountName: jobintel-runner",
                "      containers: [{name: migrate, image: r.example/migrate:1, args: [--all]}]", ""));
        Files.writeString(manifests.resolve("50-cronjob.yaml"), String.join("\n", "apiVersion: batch/v1", "kind: CronJob",
                "metadata: {name: jobintel-daily}", "spec:", "  schedule: \"0 6 * * *\"", "  jobTemplate:", "    spec:",
                "      template:", "        spec:", "          restartPolicy: OnFailure",
                "          containers: [{name: daily, image: r.example/jobintel:1}]", ""));
        Files.writeString(manifests.resolve("60-service.yaml"), String.join("\n", "apiVersion: v1", "kind: Service",
                "metadata: {name: jobintel-web}", "spec:", "  selector: {app: jobintel-web}",
                "  ports: [{name: http, port: 80, targetPort: http}]", ""));
        plan = dir.resolve("plan.yaml");
        Files.writeString(plan, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: merge-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: " + NS + ", environment: sandbox}",
                "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:", "  - name: restore", "    steps: [{uses: k8s.apply, with: {path: \"" + manifests + "\"}}]", ""));
    }

    DrRun dr(String... args) {
        DrRun r = DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString()), args);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        return r;
    }

    /** Method and path of each request since the last call. */
    List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    Deployment web() {
        return client.apps().deployments().inNamespace(NS).withName("jobintel-web").get();
    }

    static final List<String> OBJECTS = List.of("ConfigMap jobintel/jobintel-settings", "ServiceAccount jobintel/jobintel-runner",
            "Deployment jobintel/jobintel-web", "Job jobintel/jobintel-migrate", "CronJob jobintel/jobintel-daily",
            "Service jobintel/jobintel-web");

    @Test
    void aFolderAppliedPreviewsAsUnchangedObjectByObjectAndReappliesWithoutAWrite() throws Exception {
        String before = dr("plan", plan.toString()).out();
        OBJECTS.forEach(o -> assertThat(before).contains("+ create " + o));
        dr("apply", plan.toString(), "--yes");
        // The server filled in its defaults, which the manifests do not set.
        var container = web().getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(container.getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(client.services().inNamespace(NS).withName("jobintel-web").get().getSpec().getClusterIP()).isNotBlank();

        requests();
        String after = dr("plan", plan.toString()).out();
        OBJECTS.forEach(o -> assertThat(after).contains("= unchanged " + o));
        assertThat(after).doesNotContain("~ update");
        assertThat(requests()).allMatch(r -> r.startsWith("GET "));

        DrRun again = dr("apply", plan.toString(), "--yes");
        assertThat(requests()).as("an unchanged folder applied again writes nothing")
                .noneMatch(r -> r.startsWith("PUT ") || r.startsWith("POST ") || r.startsWith("DELETE "));
        assertThat(again.out() + again.err()).doesNotContain("~ update");
    }

    @Test
    void whatOtherClientsSetSurvivesAnApplyAndDoesNotShowInThePreview() throws Exception {
        dr("apply", plan.toString(), "--yes");
        String clusterIp = client.services().inNamespace(NS).withName("jobintel-web").get().getSpec().getClusterIP();
        // An autoscaler scales (the manifest omits replicas), a tool annotates, a webhook injects an env var.
        client.apps().deployments().inNamespace(NS).withName("jobintel-web").edit(d -> {
            d.getSpec().setReplicas(5);
            d.getMetadata().getAnnotations().put("autoscaler.example/last-scale", "5");
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().add(new EnvVar("INJECTED", "yes", null));
            return d;
        });
        client.configMaps().inNamespace(NS).withName("jobintel-settings").edit(c -> {
            c.getMetadata().setLabels(Map.of("team", "ops"));
            return c;
        });
        Files.writeString(manifests.resolve("30-deploy.yaml"), deployment("r.example/web:2", true, true));

        String preview = dr("plan", plan.toString()).out();
        assertThat(preview).contains("~ update Deployment jobintel/jobintel-web (spec.template.spec.containers[name=web].image)")
                .contains("= unchanged ConfigMap jobintel/jobintel-settings");
        dr("apply", plan.toString(), "--yes");

        Deployment d = web();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("r.example/web:2");
        assertThat(d.getSpec().getReplicas()).isEqualTo(5);
        assertThat(d.getMetadata().getAnnotations()).containsEntry("autoscaler.example/last-scale", "5")
                .containsEntry("dr.example/owner", "drill");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
                .containsExactly("MODE", "DEBUG", "INJECTED");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getTerminationMessagePath())
                .isEqualTo("/dev/termination-log");
        assertThat(client.configMaps().inNamespace(NS).withName("jobintel-settings").get().getMetadata().getLabels())
                .containsEntry("team", "ops");
        assertThat(client.services().inNamespace(NS).withName("jobintel-web").get().getSpec().getClusterIP()).isEqualTo(clusterIp);
        assertThat(dr("plan", plan.toString()).out()).doesNotContain("~ update");
    }

    @Test
    void aFieldDroppedFromTheManifestShowsAsRemovedAndIsRemovedWhileOthersFieldsStay() throws Exception {
        dr("apply", plan.toString(), "--yes");
        client.apps().deployments().inNamespace(NS).withName("jobintel-web").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().add(new EnvVar("INJECTED", "yes", null));
            return d;
        });
        Files.writeString(manifests.resolve("30-deploy.yaml"), deployment("r.example/web:1", false, false));
        Files.writeString(manifests.resolve("10-config.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-settings}", "data: {mode: dr}", ""));

        String preview = dr("plan", plan.toString()).out();
        assertThat(preview).contains("~ update Deployment jobintel/jobintel-web (metadata.annotations.dr.example/owner removed, "
                        + "spec.template.spec.containers[name=web].env[name=DEBUG] removed)")
                .contains("~ update ConfigMap jobintel/jobintel-settings (data.region removed)");
        dr("apply", plan.toString(), "--yes");

        Deployment d = web();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).extracting(EnvVar::getName)
                .containsExactly("MODE", "INJECTED");
        assertThat(d.getMetadata().getAnnotations()).doesNotContainKey("dr.example/owner");
        assertThat(client.configMaps().inNamespace(NS).withName("jobintel-settings").get().getData())
                .containsOnlyKeys("mode");
        String after = dr("plan", plan.toString()).out();
        OBJECTS.forEach(o -> assertThat(after).contains("= unchanged " + o));
    }
}

package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.sandbox.DefaultingApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
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
 * Live previews read and never write: every request that reaches the API server during
 * dr plan, and during the preview part of dr apply, is a GET. The same plan applied does
 * write, so the count can fail.
 */
@ExtendWith(DefaultingApiServer.class)
class PreviewIsReadOnlyTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    Path plan;
    Map<String, String> env;

    @BeforeEach
    void earlierBringupAndPlan() throws Exception {
        Path earlier = EarlierBringup.write(dir, client);
        plan = dir.resolve("plan.yaml");
        Files.writeString(plan, String.join("\n",
                "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: preview-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "inputs: {imageRef: \"r.example/jobintel@sha256:" + "c".repeat(64) + "\"}",
                "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:",
                "  - name: restore",
                "    steps: [{uses: k8s.namespace}]",
                "  - name: validate",
                "    timeout: 30s",
                "    steps: [{uses: k8s.run-job, with: {name: jobintel-validate, timeout: 1s}}]", ""),
                StandardCharsets.UTF_8);
        env = Map.of("DR_LOCK_DIR", dir.resolve("locks").toString());
        drain();
    }

    List<String> drain() throws InterruptedException {
        List<String> methods = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            methods.add(r.getMethod() + " " + r.getPath());
        }
        return methods;
    }

    DrRun run(boolean tty, String answer, String... args) {
        return DrRun.in(dir, env, tty, answer, args);
    }

    @Test
    void aReadOnlyClientRefusesAMutatingCallBeforeItLeavesTheProcess() throws Exception {
        Map<String, String> outputs = Map.of("kubeconfig", dir.resolve("kubeconfig.yaml").toString());
        dev.dr.step.StepContext readOnly = new dev.dr.engine.PlanStepContext(null,
                tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), outputs, dir, line -> { }, true);
        try (KubernetesClient k = KubeClients.open(readOnly)) {
            assertThat(k.namespaces().list().getItems()).isNotNull();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> k.namespaces().resource(
                    new NamespaceBuilder().withNewMetadata().withName("sneaky").endMetadata().build()).create())
                    .hasStackTraceContaining("a preview may only read: refused POST");
        }
        assertThat(drain()).allMatch(m -> m.startsWith("GET "));
        assertThat(client.namespaces().withName("sneaky").get()).isNull();
    }

    @Test
    void planReadsLiveStateWithoutChangingIt() throws Exception {
        DrRun r = run(false, "", "plan", plan.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("+ k8s.namespace  preview: exact, live").contains("+ create Namespace jobintel")
                .contains("+ create Job jobintel/jobintel-validate");
        List<String> requests = drain();
        assertThat(requests).as("the preview read live state").isNotEmpty();
        assertThat(requests).as("mutating requests during dr plan").allMatch(m -> m.startsWith("GET "));

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build()).create();
        drain();
        assertThat(run(false, "", "plan", plan.toString()).out()).contains("= unchanged Namespace jobintel");
    }

    @Test
    void thePreviewPartOfApplyChangesNothingAndApplyingDoes() throws Exception {
        DrRun cancelled = run(true, "no\n", "apply", plan.toString());
        assertThat(cancelled.exit()).isEqualTo(3);
        assertThat(drain()).as("mutating requests during the preview part of dr apply")
                .isNotEmpty().allMatch(m -> m.startsWith("GET "));
        assertThat(client.namespaces().withName("jobintel").get()).isNull();
        drain();

        run(false, "", "apply", plan.toString(), "--yes"); // validate times out (no controller); restore applies
        assertThat(drain()).as("apply does write, so the count above can fail").anyMatch(m -> m.startsWith("POST "));
        assertThat(client.namespaces().withName("jobintel").get()).isNotNull();
    }
}

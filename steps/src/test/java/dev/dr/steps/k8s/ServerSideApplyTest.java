package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.sandbox.DefaultingDispatcher;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a server that has server-side apply, k8s.apply uses it, as field manager dr with
 * conflicts forced, and nothing else: no create, no replace, no last-applied annotation. The
 * server here accepts apply patches as a stand-in (a create, or a merge of the applied
 * configuration onto the stored object); what is tested is what dr sends.
 */
class ServerSideApplyTest {

    /** The defaulting server, taking apply patches. */
    static final class ApplyingDispatcher extends DefaultingDispatcher {
        @Override
        public MockResponse handlePatch(RecordedRequest request) {
            String type = request.getHeader("Content-Type");
            if (type == null || !type.startsWith("application/apply-patch")) {
                return super.handlePatch(request);
            }
            String path = request.getPath().substring(0, request.getPath().indexOf('?'));
            String json = Serialization.asJson(Serialization.unmarshal(request.getBody().readUtf8()));
            if (handleGet(path).code() == 404) {
                return handleCreate(request(HttpMethod.POST, path.substring(0, path.lastIndexOf('/')), "application/json", json));
            }
            return super.handlePatch(request(HttpMethod.PATCH, path, "application/merge-patch+json", json));
        }

        private static RecordedRequest request(HttpMethod method, String path, String type, String body) {
            return new RecordedRequest("HTTP/1.1", method, path, Headers.builder().add("Content-Type", type).build(),
                    new Buffer(body.getBytes(StandardCharsets.UTF_8)));
        }
    }

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    Path plan;
    Path manifests;

    @BeforeEach
    void setUp() throws Exception {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new ApplyingDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        Path earlier = EarlierBringup.write(dir, client);
        manifests = dir.resolve("manifests");
        Files.createDirectories(manifests);
        Files.writeString(manifests.resolve("10-config.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-settings}", "data: {mode: dr}", ""));
        Files.writeString(manifests.resolve("20-deploy.yaml"), K8sApplyMergeTest.deployment("r.example/web:1", true, true));
        plan = dir.resolve("plan.yaml");
        Files.writeString(plan, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: ssa-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:", "  - name: restore", "    steps: [{uses: k8s.apply, with: {path: \"" + manifests + "\"}}]", ""));
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    List<String> writes() throws InterruptedException {
        List<String> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (!r.getMethod().equals("GET")) {
                out.add(r.getMethod() + " " + r.getPath() + " " + r.getHeader("Content-Type"));
            }
        }
        return out;
    }

    @Test
    void eachObjectIsServerSideAppliedAsManagerDrWithConflictsForced() throws Exception {
        writes();
        DrRun r = DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString()), "apply", plan.toString(), "--yes");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        List<String> writes = writes();
        assertThat(writes).hasSize(2).allSatisfy(w -> assertThat(w).startsWith("PATCH ")
                .contains("fieldManager=dr").contains("force=true").endsWith("application/apply-patch+yaml"));
        assertThat(writes.get(0)).contains("/api/v1/namespaces/jobintel/configmaps/jobintel-settings");
        assertThat(writes.get(1)).contains("/apis/apps/v1/namespaces/jobintel/deployments/jobintel-web");
        var web = client.apps().deployments().inNamespace("jobintel").withName("jobintel-web").get();
        assertThat(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("r.example/web:1");
        assertThat(web.getMetadata().getAnnotations()).doesNotContainKey(Applier.LAST_APPLIED);

        // Applied again: still server-side apply, which the server keeps idempotent.
        DrRun again = DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString()), "apply", plan.toString(), "--yes");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(writes()).hasSize(2).allMatch(w -> w.startsWith("PATCH ") && w.endsWith("application/apply-patch+yaml"));
    }
}

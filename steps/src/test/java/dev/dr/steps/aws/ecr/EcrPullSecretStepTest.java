package dev.dr.steps.aws.ecr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * ecr.pull-secret through dr plan and dr apply, against fabric8's mock API server (CRUD) and
 * ECR on loopback, both named by an earlier run's receipt as a bringup leaves them.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class EcrPullSecretStepTest {

    static final String NS = "jobintel";
    static final String PASSWORD = "eyJwYXlsb2FkIjoiZHJpbGwtczNjcmV0In0.Pull-S3cret-7f9a-Zq81-password";
    static final String PASSWORD_2 = "eyJwYXlsb2FkIjoiZHJpbGwtbmV4dCJ9.Second-S3cret-c4e2-Lm07-password";
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
    static final Instant EXPIRES_2 = Instant.parse("2030-01-01T12:00:00Z");

    KubernetesMockServer server;
    KubernetesClient client;
    EcrStub ecr;

    @TempDir
    Path dir;

    Path earlier;
    int runs;

    @BeforeEach
    void setUp() throws Exception {
        ecr = new EcrStub();
        ecr.token(PASSWORD, EXPIRES);
        earlier = earlierRun();
    }

    @AfterEach
    void stop() {
        ecr.close();
    }

    /** A bringup's receipt: the cluster's kubeconfig and the AWS stand-in. */
    Path earlierRun() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig.yaml");
        Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters: [{name: mock, cluster: {server: \"" + client.getMasterUrl() + "\"}}]",
                "contexts: [{name: mock, context: {cluster: mock, user: mock}}]", "current-context: mock",
                "users: [{name: mock, user: {token: t}}]", ""));
        Path run = dir.resolve("receipts/bringup-run");
        Files.createDirectories(run.resolve("phases"));
        Files.writeString(run.resolve("phases/bringup.json"), "{\"formatVersion\":1,\"kind\":\"phase\",\"runId\":\"bringup-run\","
                + "\"phase\":\"bringup\",\"status\":\"success\",\"reason\":null,\"planDigest\":\"sha256:" + "0".repeat(64)
                + "\",\"operator\":\"t\",\"startedAt\":\"2026-11-29T10:00:00Z\",\"finishedAt\":\"2026-11-29T10:01:00Z\","
                + "\"durationMs\":60000,\"attempts\":[],\"outputs\":{\"kubeconfig\":\"" + kubeconfig + "\",\"aws.endpoint\":\""
                + ecr.endpoint() + "\"}}");
        return run;
    }

    Path plan(String imageRef) throws Exception {
        Path f = dir.resolve("restore.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: ecr-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: " + NS + ", environment: sandbox}",
                "inputs: {imageRef: \"" + imageRef + "\"}",
                "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:",
                "  - name: restore",
                "    steps:",
                "      - uses: k8s.namespace",
                "      - uses: ecr.pull-secret", ""));
        return f;
    }

    DrRun dr(String... args) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RUN_ID", "r" + (++runs)), args);
    }

    List<String> k8sRequests() throws InterruptedException {
        List<String> methods = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            methods.add(r.getMethod() + " " + r.getPath());
        }
        return methods;
    }

    /** The Secret's .dockerconfigjson, decoded. */
    JsonNode dockerConfig() {
        Secret s = client.secrets().inNamespace(NS).withName("ecr-pull").get();
        assertThat(s).isNotNull();
        assertThat(s.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        return JsonTrees.read(new String(Base64.getDecoder().decode(s.getData().get(".dockerconfigjson")), StandardCharsets.UTF_8));
    }

    List<String> pullSecrets() {
        return client.serviceAccounts().inNamespace(NS).withName("jobintel").get().getImagePullSecrets().stream()
                .map(LocalObjectReference::getName).toList();
    }

    static String basic(String password) {
        return Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void appliedThroughDrApplyTheTokenIsInTheSecretAndNowhereElse() throws Exception {
        DrRun r = dr("apply", plan(EcrStub.IMAGE).toString(), "--yes");
        assertThat(r.exit()).as(r.err()).isZero();

        JsonNode entry = dockerConfig().get("auths").get(EcrStub.HOST);
        assertThat(dockerConfig().get("auths").size()).isEqualTo(1);
        assertThat(entry.get("username").asString()).isEqualTo("AWS");
        assertThat(entry.get("password").asString()).isEqualTo(PASSWORD);
        assertThat(entry.get("auth").asString()).isEqualTo(basic(PASSWORD));
        assertThat(pullSecrets()).containsExactly("ecr-pull");
        assertThat(ecr.calls("GetAuthorizationToken")).as("one token, none for the preview part of apply").isEqualTo(1);

        JsonNode outputs = JsonTrees.read(Files.readString(dir.resolve("receipts/r1/phases/restore.json"))).get("outputs");
        assertThat(outputs.get("ecr.pull-secret.name").asString()).isEqualTo("jobintel/ecr-pull");
        assertThat(outputs.get("ecr.pull-secret.service-account").asString()).isEqualTo("jobintel/jobintel");
        assertThat(outputs.get("ecr.pull-secret.registry").asString()).isEqualTo(EcrStub.HOST);
        assertThat(outputs.get("ecr.pull-secret.expires-at").asString()).isEqualTo("2030-01-01T00:00:00Z");

        List<String> forms = EcrStub.leakForms(PASSWORD);
        assertThat(forms).contains(PASSWORD).allMatch(f -> f.length() >= 40);
        for (String form : forms) {
            assertThat(r.out()).as("stdout").doesNotContain(form);
            assertThat(r.err()).as("stderr").doesNotContain(form);
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("receipts"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("the run's receipts").anyMatch(p -> p.toString().contains("r1"));
        for (Path f : files) {
            String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            for (String form : forms) {
                assertThat(content).as("%s", dir.relativize(f)).doesNotContain(form);
            }
        }
        // the search would find it: the Secret does hold the token, base64-encoded twice over
        String stored = client.secrets().inNamespace(NS).withName("ecr-pull").get().getData().get(".dockerconfigjson");
        assertThat(forms.subList(1, forms.size())).anyMatch(stored::contains);
    }

    @Test
    void runningAgainRefreshesTheSecretAndKeepsOneLink() throws Exception {
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("jobintel")
                .endMetadata().addToImagePullSecrets(new LocalObjectReference("other-registry")).build()).create();
        assertThat(dr("apply", plan(EcrStub.IMAGE).toString(), "--yes").exit()).isZero();
        assertThat(pullSecrets()).containsExactly("other-registry", "ecr-pull");

        ecr.token(PASSWORD_2, EXPIRES_2);
        DrRun preview = dr("plan", plan(EcrStub.IMAGE).toString());
        assertThat(preview.out()).contains("~ update Secret jobintel/ecr-pull (refreshed with a new ECR token; the current one"
                + " expires 2030-01-01T00:00:00Z)").contains("= unchanged ServiceAccount jobintel/jobintel (imagePullSecrets has"
                + " ecr-pull)");

        DrRun again = dr("apply", plan(EcrStub.IMAGE).toString(), "--yes");
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(dockerConfig().get("auths").get(EcrStub.HOST).get("password").asString()).isEqualTo(PASSWORD_2);
        assertThat(dockerConfig().get("auths").get(EcrStub.HOST).get("auth").asString()).isEqualTo(basic(PASSWORD_2));
        assertThat(client.secrets().inNamespace(NS).withName("ecr-pull").get().getMetadata().getAnnotations())
                .containsEntry("dr.dev/ecr-token-expires-at", "2030-01-01T12:00:00Z");
        assertThat(pullSecrets()).as("no duplicate entry, the other kept").containsExactly("other-registry", "ecr-pull");
        String log = Files.readString(dir.resolve("receipts/r3/phases/restore.log"));
        assertThat(log).contains("Secret jobintel/ecr-pull: refreshed for " + EcrStub.HOST + ", token expires 2030-01-01T12:00:00Z")
                .contains("ServiceAccount jobintel/jobintel: imagePullSecrets already lists ecr-pull");
    }

    @Test
    void thePreviewReadsAndFetchesNoToken() throws Exception {
        k8sRequests();
        DrRun r = dr("plan", plan(EcrStub.IMAGE).toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("+ ecr.pull-secret  preview: exact, live")
                .contains("= unchanged read ECR repository jobintel of registry " + EcrStub.HOST)
                .contains("+ create Secret jobintel/ecr-pull (kubernetes.io/dockerconfigjson for " + EcrStub.HOST + ")")
                .contains("+ create ServiceAccount jobintel/jobintel (imagePullSecrets: ecr-pull)");
        assertThat(ecr.operations()).as("ECR calls of the preview").containsExactly("DescribeRepositories");
        assertThat(k8sRequests()).isNotEmpty().allMatch(m -> m.startsWith("GET "));

        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("ecr-pull").endMetadata()
                .addToStringData("note", "left by hand").build()).create();
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName("jobintel")
                .endMetadata().build()).create();
        assertThat(dr("plan", plan(EcrStub.IMAGE).toString()).out())
                .contains("~ update Secret jobintel/ecr-pull (replaced: type Opaque -> kubernetes.io/dockerconfigjson)")
                .contains("~ update ServiceAccount jobintel/jobintel (imagePullSecrets: add ecr-pull)");
        assertThat(ecr.calls("GetAuthorizationToken")).isZero();

        assertThat(dr("apply", plan(EcrStub.IMAGE).toString(), "--yes").exit()).isZero();
        assertThat(dockerConfig().get("auths").get(EcrStub.HOST).get("password").asString()).isEqualTo(PASSWORD);
        assertThat(pullSecrets()).containsExactly("ecr-pull");
    }

    @Test
    void anImageRefThatIsNotEcrIsRefused() throws Exception {
        DrRun r = dr("apply", plan("registry.example/jobintel@sha256:" + "d".repeat(64)).toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("restore: attempt 1 failed (permanent: inputs.imageRef refused: the image ref is not an ECR"
                + " image, so an ECR pull secret cannot serve it: registry registry.example is not a private ECR registry; expected"
                + " <account>.dkr.ecr.<region>.amazonaws.com/<repository>");
        assertThat(ecr.calls("GetAuthorizationToken")).isZero();
        assertThat(client.secrets().inNamespace(NS).withName("ecr-pull").get()).isNull();
    }

    @Test
    void accessDeniedIsAPermanentFailureNamingTheOperation() throws Exception {
        ecr.accessDenied("GetAuthorizationToken");
        DrRun r = dr("apply", plan(EcrStub.IMAGE).toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("restore: attempt 1 failed (permanent: ECR GetAuthorizationToken (registry 048622080012,"
                + " us-east-1): AccessDeniedException (HTTP 400): access denied for the current AWS credentials: User:"
                + " arn:aws:iam::048622080012:user/drill is not authorized to perform: ecr:GetAuthorizationToken");
        JsonNode receipt = JsonTrees.read(Files.readString(dir.resolve("receipts/r1/phases/restore.json")));
        assertThat(receipt.get("status").asString()).isEqualTo("failed");
        assertThat(receipt.get("reason").get("kind").asString()).isEqualTo("permanent");
        assertThat(ecr.calls("GetAuthorizationToken")).as("not retried").isEqualTo(1);
        assertThat(client.secrets().inNamespace(NS).withName("ecr-pull").get()).isNull();
        assertThat(client.serviceAccounts().inNamespace(NS).withName("jobintel").get()).isNull();
    }
}

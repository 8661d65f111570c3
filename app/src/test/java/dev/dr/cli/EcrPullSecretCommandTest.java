package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import dev.dr.json.JsonTrees;
import dev.dr.steps.aws.ecr.EcrStub;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** dr ecr-pull-secret as the runbook's dr_ensure_ecr_pull_secret.sh is used, against the mock API server and ECR on loopback. */
@EnableKubernetesMockClient(crud = true, https = false)
class EcrPullSecretCommandTest {

    static final String PASSWORD = "eyJwYXlsb2FkIjoiY2xpLXMzY3JldCJ9.Command-S3cret-5d3b-Qx44-password";

    KubernetesMockServer server;
    KubernetesClient client;
    EcrStub ecr;

    @TempDir
    Path dir;

    Path kubeconfig;

    @BeforeEach
    void setUp() throws Exception {
        ecr = new EcrStub();
        ecr.token(PASSWORD, Instant.parse("2030-01-01T00:00:00Z"));
        kubeconfig = dir.resolve("k3s.public.yaml");
        Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters: [{name: mock, cluster: {server: \"" + client.getMasterUrl() + "\"}}]",
                "contexts: [{name: mock, context: {cluster: mock, user: mock}}]", "current-context: mock",
                "users: [{name: mock, user: {token: t}}]", ""));
    }

    @AfterEach
    void stop() {
        ecr.close();
    }

    DrRun dr(Map<String, String> env, String... args) {
        return DrRun.in(dir, env, args);
    }

    /** The runbook's command line, with the stand-in ECR. */
    DrRun ensure(String... more) {
        List<String> args = new ArrayList<>(List.of("ecr-pull-secret", "--namespace", "jobintel", "--aws-region", "us-east-1",
                "--image-ref", EcrStub.IMAGE, "--secret-name", "ecr-pull", "--service-account", "jobintel",
                "--kubeconfig", "k3s.public.yaml", "--endpoint-url", ecr.endpoint().toString(), "--no-sign-request"));
        args.addAll(List.of(more));
        return dr(Map.of(), args.toArray(String[]::new));
    }

    List<String> k8sRequests() throws InterruptedException {
        List<String> methods = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            methods.add(r.getMethod() + " " + r.getPath());
        }
        return methods;
    }

    void assertNoToken(DrRun r) {
        for (String form : EcrStub.leakForms(PASSWORD)) {
            assertThat(r.out()).doesNotContain(form);
            assertThat(r.err()).doesNotContain(form);
        }
    }

    @Test
    void dryRunSaysWhatWouldChangeAndChangesNothing() throws Exception {
        k8sRequests();
        DrRun r = ensure("--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(String.join("\n",
                "Registry " + EcrStub.HOST + ": repository jobintel answers (DescribeRepositories)",
                "+ would create Secret jobintel/ecr-pull (kubernetes.io/dockerconfigjson for " + EcrStub.HOST + ")",
                "+ would create ServiceAccount jobintel/jobintel (imagePullSecrets: ecr-pull)",
                "Dry run: nothing changed, no token fetched.", ""));
        assertThat(ecr.operations()).containsExactly("DescribeRepositories");
        assertThat(k8sRequests()).isNotEmpty().allMatch(m -> m.startsWith("GET "));
        assertThat(client.secrets().inNamespace("jobintel").withName("ecr-pull").get()).isNull();
    }

    @Test
    void createsThenRefreshesWithoutPrintingTheToken() throws Exception {
        DrRun first = ensure();
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(String.join("\n",
                "Secret jobintel/ecr-pull: created for " + EcrStub.HOST + ", token expires 2030-01-01T00:00:00Z",
                "ServiceAccount jobintel/jobintel: created with imagePullSecrets [ecr-pull]", ""));
        Secret s = client.secrets().inNamespace("jobintel").withName("ecr-pull").get();
        JsonNode doc = JsonTrees.read(new String(Base64.getDecoder().decode(s.getData().get(".dockerconfigjson")),
                StandardCharsets.UTF_8));
        assertThat(doc.get("auths").get(EcrStub.HOST).get("password").asString()).isEqualTo(PASSWORD);
        assertNoToken(first);

        DrRun dry = ensure("--dry-run");
        assertThat(dry.out()).contains("~ would update Secret jobintel/ecr-pull (refreshed with a new ECR token; the current"
                + " one expires 2030-01-01T00:00:00Z)").contains("= unchanged ServiceAccount jobintel/jobintel (imagePullSecrets"
                + " has ecr-pull)");

        DrRun again = ensure();
        assertThat(again.exit()).as(again.err()).isZero();
        assertThat(again.out()).contains("Secret jobintel/ecr-pull: refreshed for " + EcrStub.HOST)
                .contains("ServiceAccount jobintel/jobintel: imagePullSecrets already lists ecr-pull");
        assertThat(client.serviceAccounts().inNamespace("jobintel").withName("jobintel").get().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("ecr-pull");
        assertNoToken(again);
        assertThat(ecr.calls("GetAuthorizationToken")).isEqualTo(2);
    }

    @Test
    void theRunbooksReceiptDirGetsWhatWasDoneAndNeverTheToken() throws Exception {
        DrRun dry = ensure("--dry-run", "--receipt-dir", "receipts/ecr-pull-secret");
        assertThat(dry.exit()).as(dry.err()).isZero();
        Path receipt = dir.resolve("receipts/ecr-pull-secret/ecr-pull-secret.summary.json");
        JsonNode previewed = JsonTrees.read(Files.readString(receipt));
        assertThat(previewed.get("status").asString()).isEqualTo("previewed");
        assertThat(previewed.get("dryRun").asBoolean()).isTrue();
        assertThat(previewed.get("changes").get(0).asString()).isEqualTo("create Secret jobintel/ecr-pull"
                + " (kubernetes.io/dockerconfigjson for " + EcrStub.HOST + ")");

        DrRun applied = ensure("--receipt-dir", "receipts/ecr-pull-secret");
        assertThat(applied.exit()).as(applied.err()).isZero();
        assertThat(applied.err()).contains("Receipt: " + receipt);
        String text = Files.readString(receipt);
        JsonNode done = JsonTrees.read(text);
        assertThat(done.get("status").asString()).isEqualTo("applied");
        assertThat(done.get("registry").asString()).isEqualTo(EcrStub.HOST);
        assertThat(done.get("secretResult").asString()).startsWith("created for " + EcrStub.HOST);
        assertThat(done.get("serviceAccountResult").asString()).startsWith("created with imagePullSecrets");
        assertThat(java.time.Instant.parse(done.get("finishedAt").asString())).isNotNull();
        assertThat(new ArrayList<>(JsonTrees.read(text).propertyNames())).isSorted();
        for (String form : EcrStub.leakForms(PASSWORD)) {
            assertThat(text).doesNotContain(form);
        }

        DrRun refused = dr(Map.of(), "ecr-pull-secret", "--image-ref", "docker.io/library/busybox:1.36",
                "--kubeconfig", "k3s.public.yaml", "--receipt-dir", "receipts/refused");
        assertThat(refused.exit()).isEqualTo(3);
        JsonNode why = JsonTrees.read(Files.readString(dir.resolve("receipts/refused/ecr-pull-secret.summary.json")));
        assertThat(why.get("status").asString()).isEqualTo("refused");
        assertThat(why.get("reason").asString()).contains("not an ECR image").contains("docker.io");
    }

    @Test
    void theKubeconfigDefaultsToTheEnvironments() {
        DrRun r = dr(Map.of("KUBECONFIG", kubeconfig.toString()), "ecr-pull-secret", "--image-ref", EcrStub.IMAGE,
                "--endpoint-url", ecr.endpoint().toString(), "--no-sign-request");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("kubeconfig: " + kubeconfig);
        assertThat(client.secrets().inNamespace("jobintel").withName("ecr-pull").get()).isNotNull();
    }

    @Test
    void exitCodes() {
        DrRun notEcr = dr(Map.of(), "ecr-pull-secret", "--image-ref", "docker.io/library/busybox:1.36", "--kubeconfig",
                kubeconfig.toString());
        assertThat(notEcr.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(notEcr.err()).contains("dr ecr-pull-secret: refused: the image ref is not an ECR image")
                .contains("registry docker.io is not a private ECR registry");

        DrRun otherRegion = dr(Map.of(), "ecr-pull-secret", "--region", "us-west-2", "--image-ref", EcrStub.IMAGE);
        assertThat(otherRegion.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(otherRegion.err()).contains("--region us-west-2 is not the region of the registry " + EcrStub.HOST
                + " (us-east-1)");

        assertThat(dr(Map.of(), "ecr-pull-secret", "--namespace", "jobintel").exit()).as("--image-ref is required")
                .isEqualTo(ExitCodes.INVALID);
        assertThat(dr(Map.of(), "ecr-pull-secret", "--image-ref", EcrStub.IMAGE, "--kubeconfig", "missing.yaml").exit())
                .isEqualTo(ExitCodes.INVALID);

        ecr.accessDenied("GetAuthorizationToken");
        DrRun denied = ensure();
        assertThat(denied.exit()).isEqualTo(ExitCodes.PHASE_FAILED);
        assertThat(denied.err()).contains("dr ecr-pull-secret: ECR GetAuthorizationToken (registry 048622080012, us-east-1):"
                + " AccessDeniedException (HTTP 400): access denied for the current AWS credentials");
        assertThat(client.secrets().inNamespace("jobintel").withName("ecr-pull").get()).isNull();
        assertThat(ecr.calls("GetAuthorizationToken")).as("only the denied call").isEqualTo(1);
    }

    @Test
    void helpShowsTheRunbookFlags() {
        DrRun r = dr(Map.of(), "ecr-pull-secret", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--kubeconfig=FILE", "--namespace=NS", "--region, --aws-region=R", "--image-ref=REF",
                "--secret-name", "--service-account", "--dry-run", "--endpoint-url=URL", "Example:");
    }

    /** The runbook's command of section D, as written, the program replaced and the placeholders filled. */
    List<String> runbook(dev.dr.docs.RunbookCoverageTest.Command c) {
        List<String> words = dev.dr.docs.RunbookCoverageTest.words(c.text());
        List<String> args = new ArrayList<>(List.of("ecr-pull-secret"));
        for (String w : words.subList(1, words.size())) {
            args.add(w.replace("<account>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest>", EcrStub.IMAGE)
                    .replace("<tmp>/.../k3s.public.yaml", kubeconfig.toString())
                    .replace("<tmp>/.../ecr-pull-secret", dir.resolve("receipts/ecr-pull-secret").toString()));
        }
        assertThat(String.join(" ", args)).as("every placeholder filled").doesNotContain("<", "...");
        args.addAll(List.of("--endpoint-url", ecr.endpoint().toString(), "--no-sign-request"));
        return args;
    }

    @Test
    void theRunbooksTwoCommandsRunAsWritten() throws Exception {
        List<dev.dr.docs.RunbookCoverageTest.Command> commands = dev.dr.docs.RunbookCoverageTest.commands(
                        Files.readString(dev.dr.docs.RunbookCoverageTest.RUNBOOK_COMMANDS, StandardCharsets.UTF_8)).stream()
                .filter(c -> "dr_ensure_ecr_pull_secret.sh".equals(c.program())).toList();
        assertThat(commands).hasSize(2);
        // the helper: Secret created and linked, the receipt says so
        DrRun ensured = dr(Map.of(), runbook(commands.get(0)).toArray(String[]::new));
        assertThat(ensured.exit()).as(ensured.err()).isZero();
        assertThat(client.secrets().inNamespace("jobintel").withName("ecr-pull").get()).isNotNull();
        assertThat(client.serviceAccounts().inNamespace("jobintel").withName("jobintel").get().getImagePullSecrets())
                .extracting(LocalObjectReference::getName).containsExactly("ecr-pull");
        JsonNode summary = JsonTrees.read(Files.readString(dir.resolve("receipts/ecr-pull-secret/ecr-pull-secret.summary.json")));
        assertThat(summary.get("status").asString()).isEqualTo("applied");
        assertNoToken(ensured);
        // the dry-run preflight: says what would change, changes nothing, fetches no token
        k8sRequests();
        int tokens = ecr.calls("GetAuthorizationToken");
        DrRun dry = dr(Map.of(), runbook(commands.get(1)).toArray(String[]::new));
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("Dry run: nothing changed, no token fetched.");
        assertThat(k8sRequests()).allMatch(m -> m.startsWith("GET "));
        assertThat(ecr.calls("GetAuthorizationToken")).isEqualTo(tokens);
    }
}

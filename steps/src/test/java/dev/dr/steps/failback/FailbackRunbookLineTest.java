package dev.dr.steps.failback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.AwsStubs;
import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import dev.dr.sandbox.LocalS3;
import dev.dr.steps.EarlierRun;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's section F command lines, their flag names as the runbook writes them, against a
 * DR and a primary API server (fabric8's mock, CRUD mode) and S3Proxy on loopback: each flag does
 * what it says, and the primary is only ever read.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FailbackRunbookLineTest {
    static final String ROOT = "s3://drill-artifacts/jobintel/";
    static final String NS = "jobintel-dr";

    KubernetesMockServer server;
    KubernetesClient client;
    LocalS3 s3;
    AwsStubs aws;
    PrimaryApiServer primary;

    @TempDir
    Path dir;

    Path drKubeconfig;

    @BeforeEach
    void setUp() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket("drill-artifacts");
        aws = AwsStubs.start();
        aws.stsCallerIdentity("048622080012");
        for (String ns : List.of(NS, "jobintel")) {
            // the same CronJob in the namespace --namespace names and in the default one: only the first may change
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            client.batch().v1().cronjobs().inNamespace(ns).resource(new CronJobBuilder().withNewMetadata()
                    .withName("jobintel-daily").endMetadata().withNewSpec().withSchedule("0 6 * * *").withSuspend(false)
                    .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("daily").withImage("r.example/jobintel:1").endContainer()
                    .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
        }
        drKubeconfig = EarlierRun.kubeconfig(dir.resolve("k3s.public.yaml"), client.getMasterUrl().toString());
        primary = PrimaryApiServer.start(dir.resolve("primary.kubeconfig"));
        primary.dailyCronJob(NS);
        // both sides published the same for openai/cs; DR alone published for scaleai
        put("publish/openai/cs/latest.json", "{\"run\": 41}");
        put("dr/publish/openai/cs/latest.json", "{\"run\": 41}");
        put("dr/publish/scaleai/cs/latest.json", "{\"run\": 42}");
        put("publish/canonical.json", "{\"canonical\": \"dr\", \"publish_prefix\": \"" + ROOT + "dr/publish\"}");
    }

    @AfterEach
    void stop() {
        primary.close();
        s3.close();
        aws.close();
    }

    void put(String key, String content) throws Exception {
        try (S3Objects o = objects()) {
            o.put(S3Uri.parse(ROOT + key), content.getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }

    S3Objects objects() {
        return new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false));
    }

    String canonical() throws Exception {
        try (S3Objects o = objects()) {
            return JsonTrees.read(new String(o.readSmall(S3Uri.parse(ROOT + "publish/canonical.json")).orElseThrow(),
                    StandardCharsets.UTF_8)).get("canonical").asString();
        }
    }

    boolean suspended(KubernetesClient k, String ns) {
        return Boolean.TRUE.equals(k.batch().v1().cronjobs().inNamespace(ns).withName("jobintel-daily").get()
                .getSpec().getSuspend());
    }

    /**
     * The earlier run's receipt names the loopback S3 and AWS endpoints; its kubeconfig is
     * {@code kubeconfig} (a server nothing answers on, where --kubeconfig-dr must win).
     */
    Path earlier(String kubeconfigServer) throws Exception {
        Path k = EarlierRun.kubeconfig(dir.resolve("receipt-kubeconfig.yaml"), kubeconfigServer);
        return EarlierRun.write(dir.resolve("receipts"), "dr-run-7", Map.of("kubeconfig", k.toString(),
                "s3.endpoint", s3.endpoint().toString(), "aws.endpoint", aws.endpoint().toString()));
    }

    DrRun dr(List<String> runbookLine, String... loopback) {
        List<String> argv = new ArrayList<>(runbookLine);
        argv.addAll(List.of(loopback));
        return DrRun.inProject(Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RECEIPT_DIR",
                dir.resolve("receipts").toString(), "RUN_ID", "fb"), argv.toArray(String[]::new));
    }

    /** Section F's command, scripts/ops/dr_failback.sh as dr failback, the flags as the runbook has them. */
    List<String> runbookLine(boolean scoped, boolean withPrimary) {
        List<String> a = new ArrayList<>(List.of("failback", "--bucket", "drill-artifacts", "--prefix", "jobintel",
                "--dr-run-id", "dr-run-7", "--kubeconfig-dr", drKubeconfig.toString()));
        if (withPrimary) {
            a.addAll(List.of("--kubeconfig-primary", primary.kubeconfig.toString()));
        }
        a.addAll(List.of("--image-ref", "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "a".repeat(64),
                "--namespace", NS));
        if (scoped) {
            a.addAll(List.of("--provider", "openai", "--profile", "cs"));
        }
        return a;
    }

    static List<String> transitions(Path receipt) throws Exception {
        return FailbackTest.transitions(receipt);
    }

    @Test
    void theRunbookLineFailsBackReadingThePrimaryAndComparingOnlyTheProvidersOutputs() throws Exception {
        Path earlier = earlier("http://127.0.0.1:9");
        primary.requests();
        DrRun r = dr(runbookLine(true, true), "--from-receipt", earlier.toString(), "--teardown", "false", "--yes",
                "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7");
        assertThat(r.exit()).as(r.err()).isZero();
        // --kubeconfig-dr and --namespace: the DR CronJob of that namespace is frozen, the other not
        assertThat(suspended(client, NS)).isTrue();
        assertThat(suspended(client, "jobintel")).isFalse();
        // --kubeconfig-primary: read, never changed
        assertThat(primary.requests()).isNotEmpty().allMatch(req -> req.startsWith("GET "));
        assertThat(suspended(primary.client, NS)).isFalse();
        // --provider/--profile: scaleai's outputs, only on DR, are outside the comparison
        assertThat(canonical()).isEqualTo("primary");
        Path receipt = dir.resolve("receipts/fb");
        assertThat(transitions(receipt)).contains(
                "freeze: CronJob " + NS + "/jobintel-daily suspended",
                "freeze: primary CronJob " + NS + "/jobintel-daily not suspended, 0 of its Jobs active (read-only, not changed)",
                "divergence: none (1 objects match by sha256, only openai/cs/)");
        assertThat(Files.readString(receipt.resolve("phases/failback.log")))
                .contains("warning: primary CronJob " + NS + "/jobintel-daily is not suspended");
        // the values are in the plan-diff the operator saw, whose live reads looked at the same clusters
        assertThat(r.out()).contains("~ update CronJob " + NS + "/jobintel-daily (suspended; 0 active Jobs now)")
                .contains("= unchanged read primary CronJob " + NS + "/jobintel-daily not suspended, 0 of its Jobs active"
                        + " now (read-only, never changed)").doesNotContain("live preview failed").contains("target.namespace  = \"" + NS + "\"")
                .contains("primaryKubeconfig = \"" + primary.kubeconfig + "\"")
                .contains("provider      = \"openai\"").contains("profile       = \"cs\"");
    }

    @Test
    void withoutProviderAndProfileEveryObjectIsComparedAndWithoutThePrimaryItIsNotChecked() throws Exception {
        Path earlier = earlier("http://127.0.0.1:9");
        primary.requests();
        String ambient = System.getProperty("kubeconfig");
        // fabric8 would take the ambient kubeconfig (KUBECONFIG, or this property before it) when asked to
        // find one: pointed at the primary, nothing may reach it unless --kubeconfig-primary names it
        System.setProperty("kubeconfig", primary.kubeconfig.toString());
        DrRun r;
        try {
            r = dr(runbookLine(false, false), "--from-receipt", earlier.toString(), "--teardown", "false", "--yes",
                    "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7");
        } finally {
            if (ambient == null) {
                System.clearProperty("kubeconfig");
            } else {
                System.setProperty("kubeconfig", ambient);
            }
        }
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("primary and DR publish outputs diverge (1 of 2 objects)");
        assertThat(canonical()).isEqualTo("dr");
        assertThat(primary.requests()).isEmpty();
        assertThat(transitions(dir.resolve("receipts/fb"))).contains(
                "freeze: primary cluster not checked (no primaryKubeconfig: dr failback --kubeconfig-primary)");
        assertThat(r.out()).contains("primaryKubeconfig = \"\"").contains("provider      = \"\"");
    }

    @Test
    void aPrimaryJobInFlightIsWaitedForAndNeverTouched() throws Exception {
        Path earlier = earlier("http://127.0.0.1:9");
        primary.dailyJob(NS, "jobintel-daily-28", true);
        primary.requests();
        // the Job ends (its status set, as the Job controller would) once the freeze has seen it active
        Thread finisher = new Thread(() -> {
            try {
                while (primary.requests().stream().noneMatch(req -> req.startsWith("GET /apis/batch/v1/namespaces/" + NS + "/jobs"))) {
                    Thread.sleep(100);
                }
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            primary.finish(NS, "jobintel-daily-28", true);
        });
        finisher.start();
        DrRun r = dr(runbookLine(true, true), "--from-receipt", earlier.toString(), "--teardown", "false", "--yes",
                "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7");
        finisher.join();
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("waiting for 1 active Jobs on the primary: jobintel-daily-28");
        assertThat(transitions(dir.resolve("receipts/fb"))).contains("freeze: primary CronJob " + NS
                + "/jobintel-daily not suspended, 0 of its Jobs active (read-only, not changed)");
        assertThat(canonical()).isEqualTo("primary");
        assertThat(primary.client.batch().v1().jobs().inNamespace(NS).withName("jobintel-daily-28").get()).isNotNull();
    }

    @Test
    void theDryRunLineShowsThePrimaryAsItIsAndChangesNothing() throws Exception {
        // the dry run's live reads take the DR cluster from --kubeconfig-dr, not the receipt's
        Path earlier = earlier("http://127.0.0.1:9");
        primary.requests();
        DrRun r = dr(List.of("failback", "--bucket", "drill-artifacts", "--prefix", "jobintel", "--dr-run-id", "dr-run-7",
                "--kubeconfig-dr", drKubeconfig.toString(), "--kubeconfig-primary", primary.kubeconfig.toString(),
                "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7", "--dry-run"),
                "--from-receipt", earlier.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("primaryKubeconfig = \"" + primary.kubeconfig + "\"")
                .contains("~ update CronJob jobintel/jobintel-daily (suspended; 0 active Jobs now)")
                .doesNotContain("failback.freeze: live preview failed")
                .contains("= unchanged read primary CronJob jobintel/jobintel-daily absent, 0 of its Jobs active now"
                        + " (read-only, never changed)")
                .contains("compare " + ROOT + "publish with " + ROOT + "dr/publish (2 objects, 1 diverging now)");
        assertThat(primary.requests()).isNotEmpty().allMatch(req -> req.startsWith("GET "));
        assertThat(suspended(client, "jobintel")).isFalse();
        assertThat(canonical()).isEqualTo("dr");
        assertThat(dir.resolve("receipts/fb")).doesNotExist();
    }
}

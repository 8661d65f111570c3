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
import dev.dr.testing.RunbookReceiptFiles;
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
import tools.jackson.databind.JsonNode;

/**
 * dr failback with the shipped plan (teardown off), against S3Proxy and fabric8's mock API
 * server in CRUD mode: the confirmations, the promoted precondition, the freeze, the divergence
 * check, and the pointers handed back; the runbook's state_transitions.log and
 * failback.summary.json in the run's receipt folder, refusals included.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FailbackTest {

    static final String ROOT = "s3://drill-artifacts/jobintel/";

    KubernetesMockServer server;
    KubernetesClient client;
    LocalS3 s3;
    AwsStubs aws;

    @TempDir
    Path dir;

    Path earlier;

    @BeforeEach
    void setUp() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket("drill-artifacts");
        // the shipped plan targets AWS: its account guard asks STS (a stand-in here)
        aws = AwsStubs.start();
        aws.stsCallerIdentity("048622080012");
        client.batch().v1().cronjobs().inNamespace("jobintel").resource(new CronJobBuilder().withNewMetadata()
                .withName("jobintel-daily").endMetadata().withNewSpec().withSchedule("0 6 * * *").withSuspend(false)
                .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("daily").withImage("r.example/jobintel:1").endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
        Path kubeconfig = EarlierRun.kubeconfig(dir.resolve("kubeconfig.yaml"), client.getMasterUrl().toString());
        earlier = EarlierRun.write(dir.resolve("receipts"), "dr-run-7", Map.of("kubeconfig", kubeconfig.toString(),
                "s3.endpoint", s3.endpoint().toString(), "aws.endpoint", aws.endpoint().toString()));
        put("publish/latest.json", "{\"run\": 41}");
        put("dr/publish/latest.json", "{\"run\": 41}");
        put("publish/canonical.json", "{\"canonical\": \"dr\", \"publish_prefix\": \"" + ROOT + "dr/publish\"}");
    }

    @AfterEach
    void stop() {
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

    boolean suspended() {
        return Boolean.TRUE.equals(client.batch().v1().cronjobs().inNamespace("jobintel").withName("jobintel-daily").get()
                .getSpec().getSuspend());
    }

    DrRun failback(String... extra) {
        List<String> argv = new ArrayList<>(List.of("failback", "--bucket", "drill-artifacts", "--prefix", "jobintel",
                "--dr-run-id", "dr-run-7", "--from-receipt", earlier.toString(), "--teardown", "false",
                "--image-ref", "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "a".repeat(64)));
        argv.addAll(List.of(extra));
        return DrRun.inProject(Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RECEIPT_DIR",
                dir.resolve("receipts").toString(), "RUN_ID", "fb"), argv.toArray(String[]::new));
    }

    @Test
    void withoutBothConfirmationsNothingIsDone() throws Exception {
        DrRun none = failback("--yes");
        assertThat(none.exit()).isEqualTo(3);
        assertThat(none.err()).contains("failback refused: the first confirmation is missing (--confirm1 FAILBACK). Nothing was run.");
        DrRun wrong = failback("--yes", "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-other");
        assertThat(wrong.exit()).isEqualTo(3);
        assertThat(wrong.err()).contains("the second confirmation is 'CONFIRM-other', not CONFIRM-dr-run-7");
        assertThat(canonical()).isEqualTo("dr");
        assertThat(suspended()).isFalse();
        assertThat(dir.resolve("receipts/fb")).doesNotExist();
        // the confirmations come before anything that needs AWS, and their refusal is the last line
        assertThat(none.out()).as("no plan-diff: nothing was looked at").isEmpty();
        assertThat(aws.count("GetCallerIdentity")).isZero();
        assertThat(lastLine(none.err())).isEqualTo("dr: failback refused: the first confirmation is missing"
                + " (--confirm1 FAILBACK). Nothing was run.");
        assertThat(lastLine(wrong.err())).isEqualTo("dr: failback refused: the second confirmation is 'CONFIRM-other',"
                + " not CONFIRM-dr-run-7. Nothing was run.");
    }

    static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void aRefusedGuardWritesNothingAndSaysWhyLast() throws Exception {
        aws.reset();
        aws.stsCallerIdentity("111122223333", "arn:aws:iam::111122223333:user/alice");
        DrRun r = failback("--yes", "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(lastLine(r.err())).isEqualTo("dr: guard refused: account: caller account 111122223333, plan says"
                + " 048622080012 (arn:aws:iam::111122223333:user/alice)");
        assertThat(r.err()).contains("dr: nothing was run and nothing written");
        assertThat(dir.resolve("receipts/fb")).doesNotExist();
        assertThat(canonical()).isEqualTo("dr");
        assertThat(suspended()).isFalse();
    }

    @Test
    void applyOfTheFailbackPlanAsksForTheConfirmationsBeforeAGuardRefuses() throws Exception {
        aws.reset();
        aws.stsCallerIdentity("111122223333", "arn:aws:iam::111122223333:user/alice");
        DrRun r = DrRun.inProject(Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RECEIPT_DIR",
                dir.resolve("receipts").toString(), "RUN_ID", "fb", "BUCKET", "drill-artifacts", "IMAGE_REF",
                "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "a".repeat(64)),
                "apply", "plans/failback.yaml", "--from-receipt", earlier.toString(), "--teardown=false", "--yes",
                "--dr-run-id", "dr-run-7");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(lastLine(r.err())).isEqualTo("dr: failback refused: the first confirmation is missing"
                + " (--confirm1 FAILBACK). Nothing was run.");
        assertThat(r.err()).doesNotContain("guard refused");
        assertThat(dir.resolve("receipts/fb")).doesNotExist();
    }

    @Test
    void theDryRunSaysANeverPromotedDrWouldBeRefused() throws Exception {
        put("publish/canonical.json", "{\"canonical\": \"primary\"}");
        DrRun r = failback("--dry-run");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("failback.check-promoted: live preview failed (permanent: DR is not promoted");
        assertThat(lastLine(r.err())).isEqualTo("dr: the run would be refused: failback.check-promoted: DR is not promoted: "
                + ROOT + "publish/canonical.json names primary as canonical; failback only follows a promotion;"
                + " nothing was run");
        assertThat(dir.resolve("receipts/fb")).doesNotExist();
        assertThat(suspended()).isFalse();
    }

    @Test
    void theDryRunPreviewsLiveAndChangesNothing() throws Exception {
        DrRun r = failback("--dry-run");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("= unchanged read " + ROOT + "publish/canonical.json (canonical: dr)")
                .contains("~ update CronJob jobintel/jobintel-daily (suspended; 0 active Jobs now)")
                .contains("compare " + ROOT + "publish with " + ROOT + "dr/publish (1 objects, 0 diverging now)")
                .contains("~ update " + ROOT + "publish/canonical.json (canonical: dr -> primary, " + ROOT + "publish)");
        assertThat(canonical()).isEqualTo("dr");
        assertThat(suspended()).isFalse();
    }

    @Test
    void confirmedItFreezesChecksAndHandsThePointersBack() throws Exception {
        DrRun r = failback("--yes", "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(canonical()).isEqualTo("primary");
        assertThat(suspended()).isTrue();
        Path work = dir.resolve("receipts/fb/work/failback");
        assertThat(Files.readString(work.resolve("state_transitions.log")))
                .contains("precondition: DR promoted").contains("freeze: CronJob jobintel/jobintel-daily suspended")
                .contains("divergence: none (1 objects match by sha256)").contains("pointers: canonical dr -> primary");
        assertThat(JsonTrees.read(Files.readString(work.resolve("failback.summary.json"))).get("canonical_after").asString())
                .isEqualTo("primary");
        // and where the runbook has them: the run's receipt folder, one UTC-stamped line per state
        Path receipt = dir.resolve("receipts/fb");
        assertThat(transitions(receipt)).containsExactly("precondition: DR promoted (" + ROOT + "publish/canonical.json names dr)",
                "freeze: CronJob jobintel/jobintel-daily suspended", "freeze: no Job active in jobintel",
                "freeze: primary cluster not checked (no primaryKubeconfig: dr failback --kubeconfig-primary)",
                "divergence: none (1 objects match by sha256)", "pointers: canonical dr -> primary (" + ROOT + "publish/canonical.json)");
        JsonNode summary = summary(receipt);
        assertThat(summary.get("status").asString()).isEqualTo("failed-back");
        assertThat(summary.get("canonical_before").asString()).isEqualTo("dr");
        assertThat(summary.get("canonical_after").asString()).isEqualTo("primary");
        assertThat(summary.get("pointer").asString()).isEqualTo(ROOT + "publish/canonical.json");
    }

    /** state_transitions.log of the run's receipt, each line's UTC time checked and taken off. */
    static List<String> transitions(Path receipt) throws Exception {
        List<String> lines = Files.readAllLines(receipt.resolve("state_transitions.log"));
        for (String l : lines) {
            assertThat(l).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z .+");
        }
        return lines.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList();
    }

    /** failback.summary.json of the run's receipt, checked against the runbook receipts' schema. */
    static JsonNode summary(Path receipt) throws Exception {
        Path file = receipt.resolve("failback.summary.json");
        assertThat(RunbookReceiptFiles.problems(file)).as(file.toString()).isEmpty();
        return JsonTrees.read(Files.readString(file));
    }

    @Test
    void divergingOutputsRefuseTheFailbackObjectByObject() throws Exception {
        put("dr/publish/2026-11-28/report.json", "{\"run\": 42}");
        put("dr/publish/latest.json", "{\"run\": 42}");
        DrRun r = failback("--yes", "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("primary and DR publish outputs diverge (2 of 2 objects)");
        String log = Files.readString(dir.resolve("receipts/fb/phases/failback.log"));
        assertThat(log).contains("2026-11-28/report.json: only on DR (sha256 ").contains("latest.json: primary sha256 ");
        assertThat(canonical()).as("pointers stay with DR").isEqualTo("dr");
        Path receipt = dir.resolve("receipts/fb");
        assertThat(transitions(receipt)).hasSize(5).last().asString()
                .startsWith("divergence: refused: primary and DR publish outputs diverge (2 of 2 objects)");
        JsonNode summary = summary(receipt);
        assertThat(summary.get("status").asString()).isEqualTo("refused");
        assertThat(summary.get("refused_at").asString()).isEqualTo("divergence");
        assertThat(summary.get("reason").asString()).contains("2026-11-28/report.json: only on DR");
    }

    @Test
    void aDrThatWasNeverPromotedIsRefused() throws Exception {
        put("publish/canonical.json", "{\"canonical\": \"primary\"}");
        DrRun r = failback("--yes", "--confirm1", "FAILBACK", "--confirm2", "CONFIRM-dr-run-7");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("DR is not promoted: " + ROOT + "publish/canonical.json names primary as canonical");
        assertThat(suspended()).as("nothing frozen").isFalse();
        // the refusal is a state transition of its own, and the summary says why
        Path receipt = dir.resolve("receipts/fb");
        assertThat(transitions(receipt)).containsExactly("precondition: refused: DR is not promoted: " + ROOT
                + "publish/canonical.json names primary as canonical; failback only follows a promotion");
        JsonNode summary = summary(receipt);
        assertThat(summary.get("status").asString()).isEqualTo("refused");
        assertThat(summary.get("refused_at").asString()).isEqualTo("precondition");
        assertThat(summary.get("pointer").asString()).isEqualTo(ROOT + "publish/canonical.json");
        assertThat(summary.has("restored_at")).isFalse();
    }
}

package dev.dr.steps.failback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.json.JsonTrees;
import dev.dr.step.Step;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.ContractPlan;
import dev.dr.testing.RunbookReceiptFiles;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Files;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class FailbackFreezeContractTest extends FailbackStepContract {

    @BeforeEach
    void dailyCronJob() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build())
                .create();
        client.batch().v1().cronjobs().inNamespace("jobintel").resource(new CronJobBuilder().withNewMetadata()
                .withName("jobintel-daily").endMetadata().withNewSpec().withSchedule("0 6 * * *").withSuspend(false)
                .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("daily").withImage("r.example/jobintel:1").endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
    }

    /** Jobs still running when the freeze's time is up refuse the failback: the log line and the summary say so. */
    @Test
    void jobsStillActiveRefuseItInTheRunbookReceipts() throws Exception {
        client.batch().v1().jobs().inNamespace("jobintel").resource(new JobBuilder().withNewMetadata()
                .withName("jobintel-daily-1").endMetadata().withNewSpec().withNewTemplate().withNewSpec()
                .withRestartPolicy("Never").addNewContainer().withName("daily").withImage("r.example/jobintel:1")
                .endContainer().endSpec().endTemplate().endSpec().build()).create();
        client.batch().v1().jobs().inNamespace("jobintel").withName("jobintel-daily-1")
                .editStatus(j -> new JobBuilder(j).withNewStatus().withActive(1).endStatus().build());
        ContractDrill d = drill();
        ObjectNode with = example(0);
        with.put("timeout", "1s");
        ContractPlan plan = write(d, with);
        StepContext ctx = context(plan, d, false);
        assertThatThrownBy(() -> step().apply(ctx)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("Jobs still active after 1s: jobintel-daily-1");
        List<String> log = Files.readAllLines(ctx.receiptDir().resolve("state_transitions.log"));
        assertThat(log).hasSize(2);
        assertThat(log.get(0)).matches("\\S+Z freeze: CronJob jobintel/jobintel-daily suspended");
        assertThat(log.get(1)).matches("\\S+Z freeze: refused: failback.freeze: Jobs still active after 1s: jobintel-daily-1");
        JsonNode summary = JsonTrees.read(Files.readString(ctx.receiptDir().resolve("failback.summary.json")));
        assertThat(summary.get("status").asString()).isEqualTo("refused");
        assertThat(summary.get("refused_at").asString()).isEqualTo("freeze");
        assertThat(summary.get("cronjob").asString()).isEqualTo("jobintel/jobintel-daily");
        assertThat(RunbookReceiptFiles.problems(ctx.receiptDir().resolve("failback.summary.json"))).isEmpty();
    }

    /** Jobs of the primary's CronJob still running refuse it too; the primary is read, never written. */
    @Test
    void primaryJobsStillActiveRefuseItAndThePrimaryIsOnlyRead() throws Exception {
        try (PrimaryApiServer primary = PrimaryApiServer.start(contractDir.resolve("primary.kubeconfig"))) {
            primary.dailyCronJob("jobintel");
            primary.dailyJob("jobintel", "jobintel-daily-9", true);
            primary.requests();
            ContractDrill d = drill();
            ObjectNode with = example(0);
            with.put("timeout", "1s");
            with.put("primaryKubeconfig", primary.kubeconfig.toString());
            StepContext ctx = context(write(d, with), d, false);
            assertThatThrownBy(() -> step().apply(ctx)).isInstanceOf(StepFailure.class)
                    .hasMessageContaining("Jobs of the primary's CronJob jobintel/jobintel-daily still active after 1s:"
                            + " jobintel-daily-9");
            assertThat(primary.requests()).isNotEmpty().allMatch(r -> r.startsWith("GET "));
            assertThat(primary.client.batch().v1().cronjobs().inNamespace("jobintel").withName("jobintel-daily").get()
                    .getSpec().getSuspend()).isFalse();
            JsonNode summary = JsonTrees.read(Files.readString(ctx.receiptDir().resolve("failback.summary.json")));
            assertThat(summary.get("refused_at").asString()).isEqualTo("freeze");
            assertThat(RunbookReceiptFiles.problems(ctx.receiptDir().resolve("failback.summary.json"))).isEmpty();
        }
    }

    /** A primaryKubeconfig that is not there refuses the step; it never falls back to another kubeconfig. */
    @Test
    void aMissingPrimaryKubeconfigIsRefusedByName() throws Exception {
        ContractDrill d = drill();
        ObjectNode with = example(0);
        with.put("primaryKubeconfig", contractDir.resolve("nowhere.kubeconfig").toString());
        StepContext ctx = context(write(d, with), d, false);
        assertThatThrownBy(() -> step().apply(ctx)).isInstanceOf(StepFailure.class)
                .hasMessageContaining("primaryKubeconfig: cannot read the kubeconfig " + contractDir.resolve("nowhere.kubeconfig"));
        assertThatThrownBy(() -> step().preview(context(write(d, with), d, true))).isInstanceOf(StepFailure.class)
                .hasMessageContaining("primaryKubeconfig: cannot read the kubeconfig");
        assertThat(client.batch().v1().cronjobs().inNamespace("jobintel").withName("jobintel-daily").get()
                .getSpec().getSuspend()).as("nothing frozen on DR either").isFalse();
    }

    @Override
    protected Step step() {
        return new FailbackFreezeStep();
    }

    @Override
    protected List<String> examples() {
        // an empty primaryKubeconfig: the primary is not checked (PrimaryClusterTest checks one)
        return List.of("{cronJob: jobintel-daily, timeout: 5s}", "{cronJob: jobintel-daily, primaryKubeconfig: ''}");
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("failback.frozen");
    }
}

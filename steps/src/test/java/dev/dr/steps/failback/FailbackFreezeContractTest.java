package dev.dr.steps.failback;

import dev.dr.step.Step;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

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

    @Override
    protected Step step() {
        return new FailbackFreezeStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{cronJob: jobintel-daily, timeout: 5s}", "{cronJob: jobintel-daily}");
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("failback.frozen");
    }
}

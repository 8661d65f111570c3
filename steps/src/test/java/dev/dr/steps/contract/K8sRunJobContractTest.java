package dev.dr.steps.contract;

import dev.dr.step.Step;
import dev.dr.steps.k8s.K8sRunJobStep;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** k8s.run-job; the API server has no controllers, so a thread here completes each new Job. */
class K8sRunJobContractTest extends LoopbackStepContract {

    Thread controller;

    @BeforeEach
    void namespaceAndController() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build())
                .create();
        controller = new Thread(() -> {
            Set<String> seen = new HashSet<>();
            while (!Thread.currentThread().isInterrupted()) {
                for (Job j : client.batch().v1().jobs().inNamespace("jobintel").list().getItems()) {
                    if (seen.add(j.getMetadata().getUid())) {
                        client.batch().v1().jobs().inNamespace("jobintel").withName(j.getMetadata().getName()).editStatus(x -> {
                            x.setStatus(new JobStatusBuilder().withSucceeded(1).build());
                            return x;
                        });
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-controller");
        controller.setDaemon(true);
        controller.start();
    }

    @AfterEach
    void stopController() throws InterruptedException {
        controller.interrupt();
        controller.join(5000);
    }

    @Override
    protected Step step() {
        return new K8sRunJobStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{name: jobintel-validate, timeout: 20s}", "{name: jobintel-validate}");
    }

    @Override
    protected Map<String, String> inputs() {
        return Map.of("imageRef", "r.example/jobintel@sha256:" + "c".repeat(64));
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("validate.job");
    }
}

package dev.dr.steps.contract;

import dev.dr.step.Step;
import dev.dr.steps.k8s.K8sRequireStep;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class K8sRequireContractTest extends LoopbackStepContract {

    @BeforeEach
    void theRequiredObject() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build())
                .create();
        client.configMaps().inNamespace("jobintel").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("jobintel-config").endMetadata().addToData("mode", "dr").build()).create();
    }

    @Override
    protected Step step() {
        return new K8sRequireStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{resource: configmap/jobintel-config, timeout: 3s}", "{resource: configmap/jobintel-config}");
    }

    @Override
    protected Set<String> outputs() {
        return Set.of();
    }

    @Override
    protected String phase() {
        return "restore";
    }
}

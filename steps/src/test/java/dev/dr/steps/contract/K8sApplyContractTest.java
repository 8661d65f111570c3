package dev.dr.steps.contract;

import dev.dr.step.Step;
import dev.dr.steps.k8s.K8sApplyStep;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class K8sApplyContractTest extends LoopbackStepContract {

    Path manifests;

    @BeforeEach
    void manifestsAndNamespace() throws Exception {
        manifests = Files.createDirectories(contractDir.resolve("manifests"));
        Files.writeString(manifests.resolve("10-config.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-config}", "data: {mode: dr}", ""));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build())
                .create();
    }

    @Override
    protected Step step() {
        return new K8sApplyStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{path: \"" + manifests + "\"}");
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("manifests.applied");
    }

    @Override
    protected String phase() {
        return "restore";
    }
}

package dev.dr.steps.aws.ecr;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** ecr.pull-secret in a plan finds the cluster as the Kubernetes steps do: never from the environment. */
class ClusterAccessTest {

    @Test
    void theStepOpensNoClientWithoutAKubeconfigOutput() {
        StepContext ctx = new StepContext() {
            @Override public JsonNode with() { return dev.dr.json.JsonTrees.read("{}"); }
            @Override public Optional<String> setting(String path) { return Optional.empty(); }
            @Override public Map<String, String> outputs() { return Map.of(); }
            @Override public Path workDir() { return Path.of("."); }
            @Override public void log(String line) {}
        };
        assertThatThrownBy(() -> ClusterAccess.open(ctx)).isInstanceOf(StepFailure.class)
                .hasMessageStartingWith("no kubeconfig for the DR cluster");
    }
}

package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.ErrorClass;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The steps' second line behind dr's refusal: a step with no kubeconfig in the run's outputs
 * opens no client at all, rather than one from KUBECONFIG or ~/.kube/config.
 */
class KubeClientsTest {

    @TempDir
    Path tmp;

    StepContext withOutputs(Map<String, String> outputs, boolean readOnly) {
        return new StepContext() {
            @Override public JsonNode with() { return dev.dr.json.JsonTrees.read("{}"); }
            @Override public Optional<String> setting(String path) { return Optional.empty(); }
            @Override public Map<String, String> outputs() { return outputs; }
            @Override public Path workDir() { return tmp; }
            @Override public void log(String line) {}
            @Override public boolean readOnly() { return readOnly; }
        };
    }

    @Test
    void noKubeconfigInTheOutputsIsAPermanentFailureNamingWhatToGive() {
        for (boolean preview : new boolean[] {false, true}) {
            assertThatThrownBy(() -> KubeClients.open(withOutputs(Map.of("sandbox.pid", "1"), preview)))
                    .isInstanceOfSatisfying(StepFailure.class, f -> assertThat(f.errorClass()).isEqualTo(ErrorClass.PERMANENT))
                    .hasMessage("no kubeconfig for the DR cluster: neither the bringup receipt nor --kubeconfig gives one,"
                            + " and a DR plan never reads KUBECONFIG or ~/.kube/config; give --receipt-dir <bringup receipt>"
                            + " (or --from-receipt) or --kubeconfig FILE");
            assertThatThrownBy(() -> KubeClients.open(withOutputs(Map.of("kubeconfig", " "), preview)))
                    .isInstanceOf(StepFailure.class).hasMessageStartingWith("no kubeconfig for the DR cluster");
        }
    }
}

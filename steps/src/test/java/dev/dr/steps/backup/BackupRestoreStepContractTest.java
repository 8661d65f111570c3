package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.step.Step;
import dev.dr.steps.contract.LoopbackStepContract;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class BackupRestoreStepContractTest extends LoopbackStepContract {

    @BeforeEach
    void seed() throws Exception {
        try (S3Objects o = s3Objects()) {
            SeededBackup.seed(o);
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build())
                .create();
    }

    @Override
    protected Step step() {
        return new BackupRestoreStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{stateDestination: \"" + contractDir.resolve("dr-state") + "\"}", "{}",
                "{stateDestination: \"s3://" + BUCKET + "/jobintel/dr/state\"}");
    }

    @Override
    protected Map<String, String> inputs() {
        return Map.of("backupUri", SeededBackup.URI.toString());
    }

    @Override
    protected String phase() {
        return "restore";
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("backup.uri", "state.destination", "state.sha256", "state.files", "state.bytes", "manifests.applied");
    }
}

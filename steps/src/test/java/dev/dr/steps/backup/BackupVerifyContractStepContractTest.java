package dev.dr.steps.backup;

import dev.dr.aws.S3Objects;
import dev.dr.step.Step;
import dev.dr.steps.contract.LoopbackStepContract;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class BackupVerifyContractStepContractTest extends LoopbackStepContract {

    @BeforeEach
    void seed() throws Exception {
        try (S3Objects o = s3Objects()) {
            SeededBackup.seed(o);
        }
    }

    @Override
    protected Step step() {
        return new BackupVerifyContractStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}");
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
        return Set.of("backup.uri", "backup.id", "backup.state.tar.zst.sha256", "backup.manifests.tar.zst.sha256");
    }
}

package dev.dr.steps.sandbox;

import dev.dr.step.Step;
import dev.dr.steps.contract.LoopbackStepContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class SandboxSeedBackupContractTest extends LoopbackStepContract {

    Path source;

    @BeforeEach
    void source() throws Exception {
        source = contractDir.resolve("seed");
        Files.createDirectories(source.resolve("state/db"));
        Files.writeString(source.resolve("state/db/snapshot.jsonl"), "{\"id\": 1}\n");
        Files.createDirectories(source.resolve("manifests"));
        Files.writeString(source.resolve("manifests/30-index.yaml"), String.join("\n", "apiVersion: v1", "kind: ConfigMap",
                "metadata: {name: jobintel-state-index}", "data: {snapshot: db/snapshot.jsonl}", ""));
    }

    @Override
    protected Step step() {
        return new SandboxSeedBackupStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{source: \"" + source + "\"}");
    }

    @Override
    protected Map<String, String> inputs() {
        return Map.of("backupUri", "s3://" + BUCKET + "/jobintel/backups/sandbox");
    }

    @Override
    protected String phase() {
        return "bringup";
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("backup.uri");
    }
}

package dev.dr.engine;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.aws.AwsStepContext;
import dev.dr.step.StepContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A step's context with the run's AWS clients: the steps of one run (a restore's
 * control-plane.fetch, backup.verify-contract and backup.restore in dr apply, or the step
 * previews of a live plan-diff) share one S3 client and its connections instead of each
 * building its own.
 */
public record SharedClientsContext(StepContext step, AwsClientRegistry awsClients) implements AwsStepContext {
    @Override
    public JsonNode with() {
        return step.with();
    }

    @Override
    public Optional<String> setting(String path) {
        return step.setting(path);
    }

    @Override
    public Map<String, String> outputs() {
        return step.outputs();
    }

    @Override
    public Path workDir() {
        return step.workDir();
    }

    @Override
    public Path receiptDir() {
        return step.receiptDir();
    }

    @Override
    public Optional<Path> handoffDir() {
        return step.handoffDir();
    }

    @Override
    public void log(String line) {
        step.log(line);
    }

    @Override
    public void progress(String line) {
        step.progress(line);
    }

    @Override
    public boolean readOnly() {
        return step.readOnly();
    }
}

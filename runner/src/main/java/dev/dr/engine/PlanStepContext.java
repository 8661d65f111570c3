package dev.dr.engine;

import dev.dr.plan.model.Plan;
import dev.dr.step.StepContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** The context a step gets, in apply or (read-only) in a preview. */
public final class PlanStepContext implements StepContext {
    private final Plan plan;
    private final JsonNode with;
    private final Map<String, String> outputs;
    private final Path workDir;
    private final Path receiptDir;
    private final Consumer<String> log;
    private final boolean readOnly;
    private final Consumer<String> progress;
    private final Optional<Path> handoffDir;

    public PlanStepContext(Plan plan, JsonNode with, Map<String, String> outputs, Path workDir, Consumer<String> log,
                           boolean readOnly) {
        this(plan, with, outputs, workDir, log, readOnly, line -> { });
    }

    public PlanStepContext(Plan plan, JsonNode with, Map<String, String> outputs, Path workDir, Consumer<String> log,
                           boolean readOnly, Consumer<String> progress) {
        this(plan, with, outputs, workDir, workDir, log, readOnly, progress);
    }

    /** @param receiptDir the run's receipt folder (runbook-named files), {@code workDir} being a folder in it */
    public PlanStepContext(Plan plan, JsonNode with, Map<String, String> outputs, Path workDir, Path receiptDir,
                           Consumer<String> log, boolean readOnly, Consumer<String> progress) {
        this(plan, with, outputs, workDir, receiptDir, log, readOnly, progress, Optional.empty());
    }

    /** @param handoffDir the folder this step's preview and apply share in one dr apply (see StepHandoff) */
    public PlanStepContext(Plan plan, JsonNode with, Map<String, String> outputs, Path workDir, Path receiptDir,
                           Consumer<String> log, boolean readOnly, Consumer<String> progress, Optional<Path> handoffDir) {
        this.handoffDir = handoffDir;
        this.receiptDir = receiptDir;
        this.progress = progress;
        this.plan = plan;
        this.with = with.deepCopy();
        this.outputs = Map.copyOf(outputs);
        this.workDir = workDir;
        this.log = log;
        this.readOnly = readOnly;
    }

    @Override
    public JsonNode with() {
        return with.deepCopy();
    }

    @Override
    public Optional<String> setting(String path) {
        return PlanSettings.lookup(plan, path);
    }

    @Override
    public Map<String, String> outputs() {
        return outputs;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Path receiptDir() {
        return receiptDir;
    }

    @Override
    public Optional<Path> handoffDir() {
        return handoffDir;
    }

    @Override
    public void log(String line) {
        log.accept(line);
    }

    @Override
    public void progress(String line) {
        progress.accept(line);
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }
}

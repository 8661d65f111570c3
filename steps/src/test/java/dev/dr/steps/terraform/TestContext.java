package dev.dr.steps.terraform;

import dev.dr.json.JsonTrees;
import dev.dr.step.StepContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/** A step context without a plan: the settings the terraform steps read, and the log and progress lines kept. */
final class TestContext implements StepContext {
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<String> progress = new CopyOnWriteArrayList<>();
    private final JsonNode with;
    private final Map<String, String> settings;
    private final Path workDir;
    private final boolean readOnly;
    private final Optional<Path> handoffDir;

    TestContext(String withJson, Map<String, String> settings, Path workDir, boolean readOnly) {
        this(withJson, settings, workDir, readOnly, Optional.empty());
    }

    TestContext(String withJson, Map<String, String> settings, Path workDir, boolean readOnly, Optional<Path> handoffDir) {
        this.handoffDir = handoffDir;
        this.with = JsonTrees.read(withJson);
        this.settings = Map.copyOf(settings);
        this.workDir = workDir;
        this.readOnly = readOnly;
    }

    static TestContext forFolder(Path tf, Path workDir) {
        return new TestContext("{\"dir\": \"" + tf + "\"}",
                Map.of("sizing.instanceType", "t4g.medium", "target.region", "us-east-1"), workDir, false);
    }

    @Override
    public JsonNode with() {
        return with.deepCopy();
    }

    @Override
    public Optional<String> setting(String path) {
        return Optional.ofNullable(settings.get(path));
    }

    @Override
    public Map<String, String> outputs() {
        return Map.of();
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public Optional<Path> handoffDir() {
        return handoffDir;
    }

    @Override
    public void log(String line) {
        log.add(line);
    }

    @Override
    public void progress(String line) {
        progress.add(line);
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }
}

package dev.dr.steps;

import dev.dr.json.JsonTrees;
import dev.dr.step.Change;
import dev.dr.step.PreviewKind;
import dev.dr.step.Step;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A built-in step whose description, settings schema, reads, folder settings and offline
 * changes live in the resource {@code dr/steps/<name>.json}.
 */
public abstract class DescribedStep implements Step {

    private final JsonNode descriptor;

    protected DescribedStep(String name) {
        String resource = "dr/steps/" + name + ".json";
        try (InputStream in = DescribedStep.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            this.descriptor = JsonTrees.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!name.equals(descriptor.path("name").asString())) {
            throw new IllegalStateException(resource + " describes " + descriptor.path("name").asString() + ", not " + name);
        }
    }

    @Override
    public String name() {
        return descriptor.get("name").asString();
    }

    @Override
    public String description() {
        return descriptor.get("description").asString();
    }

    @Override
    public PreviewKind previewKind() {
        return PreviewKind.of(descriptor.get("preview").asString());
    }

    @Override
    public String withSchema() {
        return JsonTrees.compact(descriptor.get("with"));
    }

    @Override
    public List<String> reads() {
        List<String> out = new ArrayList<>();
        descriptor.path("reads").forEach(r -> out.add(r.asString()));
        return out;
    }

    /** The descriptor's {@code needs}: e.g. {@code kubeconfig} for a step that talks to the DR cluster. */
    @Override
    public java.util.Set<String> needsOutputs() {
        return names("needs");
    }

    /** The descriptor's {@code gives}: e.g. {@code kubeconfig} for a step that brings a cluster up. */
    @Override
    public java.util.Set<String> givesOutputs() {
        return names("gives");
    }

    private java.util.Set<String> names(String key) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        descriptor.path(key).forEach(r -> out.add(r.asString()));
        return java.util.Collections.unmodifiableSet(out);
    }

    @Override
    public List<String> folderSettings() {
        List<String> out = new ArrayList<>();
        descriptor.path("folders").forEach(f -> out.add(f.asString()));
        return out;
    }

    @Override
    public List<Change> offlineChanges() {
        List<Change> out = new ArrayList<>();
        descriptor.path("changes").forEach(c -> out.add(new Change(c.get("action").asString(),
                c.get("resource").asString())));
        return out;
    }
}

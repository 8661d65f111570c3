package dev.dr.step;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import dev.dr.json.JsonTrees;

/**
 * Every step name a plan may use: the step classes on the class path (ServiceLoader) and the
 * planned steps whose classes come later, which plans may already name. A class wins over a
 * planned entry of the same name.
 */
public final class StepCatalog {

    static final String PLANNED = "dr/steps/planned-steps.json";

    private final Map<String, StepInfo> steps;
    private final Map<String, Step> implementations;

    private StepCatalog(Map<String, StepInfo> steps, Map<String, Step> implementations) {
        this.steps = Collections.unmodifiableMap(new TreeMap<>(steps));
        this.implementations = Collections.unmodifiableMap(new TreeMap<>(implementations));
    }

    /**
     * The planned steps of every {@code dr/steps/planned-steps.json} on the class path (dr's own,
     * and any a jar of steps brings) plus every {@link Step} the class loader provides.
     */
    public static StepCatalog load(ClassLoader loader) {
        Map<String, StepInfo> all = new TreeMap<>();
        java.util.List<java.net.URL> declarations;
        try {
            declarations = Collections.list(loader.getResources(PLANNED));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (declarations.isEmpty()) {
            throw new IllegalStateException("missing resource " + PLANNED + " on the class path");
        }
        for (java.net.URL url : declarations) {
            planned(url, all);
        }
        Map<String, Step> classes = new TreeMap<>();
        for (Step step : ServiceLoader.load(Step.class, loader)) {
            classes.put(step.name(), step);
            all.put(step.name(), new StepInfo(step.name(), step.description(), step.previewKind(),
                    JsonTrees.read(step.withSchema()), step.reads(), step.offlineChanges(), true));
        }
        return new StepCatalog(all, classes);
    }

    private static void planned(java.net.URL url, Map<String, StepInfo> all) {
        try (InputStream in = url.openStream()) {
            for (JsonNode s : JsonTrees.read(in).get("steps")) {
                List<String> reads = new ArrayList<>();
                s.get("reads").forEach(r -> reads.add(r.asString()));
                List<Change> changes = new ArrayList<>();
                s.get("changes").forEach(c -> changes.add(
                        new Change(c.get("action").asString(), c.get("resource").asString())));
                all.put(s.get("name").asString(), new StepInfo(s.get("name").asString(),
                        s.get("description").asString(), PreviewKind.of(s.get("preview").asString()),
                        s.get("with"), reads, changes, false));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class that runs the step, when there is one yet. */
    public java.util.Optional<Step> implementation(String name) {
        return java.util.Optional.ofNullable(implementations.get(name));
    }

    public StepInfo find(String name) {
        return steps.get(name);
    }

    /** All steps, sorted by name. */
    public List<StepInfo> all() {
        return List.copyOf(steps.values());
    }

    public List<String> names() {
        return List.copyOf(steps.keySet());
    }
}

package dev.dr.catalog;

import dev.dr.json.JsonTrees;
import dev.dr.step.Step;
import dev.dr.step.StepInfo;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every step a plan may use: the step classes on the class path, found by ServiceLoader. */
public final class StepCatalog {

    private final Map<String, StepInfo> steps;
    private final Map<String, Step> implementations;

    private StepCatalog(Map<String, StepInfo> steps, Map<String, Step> implementations) {
        this.steps = Collections.unmodifiableMap(new TreeMap<>(steps));
        this.implementations = Collections.unmodifiableMap(new TreeMap<>(implementations));
    }

    /** Every {@link Step} the class loader provides. */
    public static StepCatalog load(ClassLoader loader) {
        Map<String, StepInfo> all = new TreeMap<>();
        Map<String, Step> classes = new TreeMap<>();
        for (Step step : ServiceLoader.load(Step.class, loader)) {
            classes.put(step.name(), step);
            all.put(step.name(), new StepInfo(step.name(), step.description(), step.previewKind(),
                    JsonTrees.read(step.withSchema()), step.reads(), step.offlineChanges(), step.folderSettings(),
                    step.environment()));
        }
        return new StepCatalog(all, classes);
    }

    /** The class that runs the step; empty for a name that is no step. */
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

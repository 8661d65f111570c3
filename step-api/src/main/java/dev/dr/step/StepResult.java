package dev.dr.step;

import java.util.Map;
import java.util.TreeMap;

/** What an applied step leaves in the receipt: named outputs such as a kubeconfig path. */
public record StepResult(Map<String, String> outputs) {
    public StepResult {
        outputs = java.util.Collections.unmodifiableMap(new TreeMap<>(outputs));
    }

    public static StepResult none() {
        return new StepResult(Map.of());
    }

    public static StepResult of(String key, String value) {
        return new StepResult(Map.of(key, value));
    }
}

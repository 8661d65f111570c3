package dev.dr.step;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What dr knows about a step name: its settings schema, what it reads, and whether a class
 * implements it yet.
 */
public record StepInfo(String name, String description, PreviewKind previewKind, JsonNode withSchema,
                       List<String> reads, List<OfflineChange> changes, boolean implemented) {
    public StepInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(previewKind, "previewKind");
        Objects.requireNonNull(withSchema, "withSchema");
        description = description == null ? "" : description;
        reads = List.copyOf(reads);
        changes = List.copyOf(changes);
    }
}

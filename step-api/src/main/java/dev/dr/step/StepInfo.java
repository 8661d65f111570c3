package dev.dr.step;

import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * What dr knows about a step: its settings schema, what it reads, and what it changes offline.
 *
 * @param folders     the {@code with:} settings that name a folder the step needs ({@link Step#folderSettings()})
 * @param environment the environment variables the step reads itself ({@link Step#environment()})
 */
public record StepInfo(String name, String description, PreviewKind previewKind, JsonNode withSchema,
                       List<String> reads, List<Change> changes, List<String> folders, List<String> environment) {

    /** A step that needs no folder and reads no environment variable itself. */
    public StepInfo(String name, String description, PreviewKind previewKind, JsonNode withSchema,
                    List<String> reads, List<Change> changes) {
        this(name, description, previewKind, withSchema, reads, changes, List.of(), List.of());
    }

    /** True when the step reads the variable {@code name}, by name or by a prefix it declares. */
    public boolean readsVariable(String name) {
        return environment.stream().anyMatch(e -> e.endsWith("*") ? name.startsWith(e.substring(0, e.length() - 1))
                : e.equals(name));
    }

    public StepInfo {
        folders = List.copyOf(folders);
        environment = List.copyOf(environment);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(previewKind, "previewKind");
        Objects.requireNonNull(withSchema, "withSchema");
        description = description == null ? "" : description;
        reads = List.copyOf(reads);
        changes = List.copyOf(changes);
    }

    /** A copy of {@code with} with the defaults of the step's schema filled in. */
    public tools.jackson.databind.node.ObjectNode withDefaults(tools.jackson.databind.node.ObjectNode with) {
        tools.jackson.databind.node.ObjectNode out = with.deepCopy();
        withSchema.path("properties").properties().forEach(e -> {
            if (!out.has(e.getKey()) && e.getValue().has("default")) {
                out.set(e.getKey(), e.getValue().get("default"));
            }
        });
        return out;
    }
}

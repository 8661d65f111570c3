package dev.dr.step;

import java.util.Objects;
import java.util.Set;

/**
 * What a step touches. Declared offline ({@link Step#offlineChanges}): the action when it is
 * certain (create, update, delete) or {@code unknown} when live state decides, with
 * {@code {target.namespace}}, {@code {inputs.bucket}} or {@code {with.name}} standing for plan
 * values. From a live preview ({@link Step#preview}): what live state says, including
 * {@code unchanged} objects.
 */
public record Change(String action, String resource) {

    public static final Set<String> ACTIONS = Set.of("create", "update", "delete", "unchanged", "unknown");

    public Change {
        Objects.requireNonNull(resource, "resource");
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be one of create, update, delete, unchanged, unknown, was " + action);
        }
    }
}

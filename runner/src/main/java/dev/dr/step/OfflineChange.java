package dev.dr.step;

import java.util.Objects;
import java.util.Set;

/**
 * What a step touches, as far as the plan alone tells: the action when it is certain
 * (create, update, delete) or {@code unknown} when live state decides, and the resource,
 * with {@code {target.namespace}}, {@code {inputs.bucket}} or {@code {with.name}} standing for
 * plan values.
 */
public record OfflineChange(String action, String resource) {

    public static final Set<String> ACTIONS = Set.of("create", "update", "delete", "unknown");

    public OfflineChange {
        Objects.requireNonNull(resource, "resource");
        if (!ACTIONS.contains(action)) {
            throw new IllegalArgumentException("action must be one of create, update, delete, unknown, was " + action);
        }
    }
}

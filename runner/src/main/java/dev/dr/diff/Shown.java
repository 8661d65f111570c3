package dev.dr.diff;

import dev.dr.source.NodePath;
import java.util.Set;

/**
 * Plan values as the plan-diff may show them: a value that came from a secret-named
 * variable becomes {@code (sensitive value)}, wherever in the document it would appear.
 */
record Shown(Set<NodePath> sensitive) {

    Shown {
        sensitive = Set.copyOf(sensitive);
    }

    /** @param path the dotted plan path the value was read from, e.g. {@code target.accountId} */
    String of(String path, String value) {
        return sensitive.contains(NodePath.parse(path)) ? PlanDiffBuilder.SENSITIVE : value;
    }
}

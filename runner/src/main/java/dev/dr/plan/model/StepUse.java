package dev.dr.plan.model;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * One use of a step in a phase.
 *
 * @param with the step's settings, as written in the plan after interpolation (a private copy)
 */
public record StepUse(String uses, String label, ObjectNode with) {
    public StepUse {
        Objects.requireNonNull(uses, "uses");
        label = label == null || label.isEmpty() ? uses : label;
        with = with == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : with.deepCopy();
    }

    @Override
    public ObjectNode with() {
        return with.deepCopy();
    }
}

package dev.dr.plan.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A phase and its steps.
 *
 * @param timeout  longest time of one attempt, or null when the plan sets none
 * @param approval the promote gate, or null
 */
public record Phase(PhaseName name, String description, Duration timeout, Approval approval, List<StepUse> steps) {
    public Phase {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        steps = List.copyOf(steps);
        if (approval != null && name != PhaseName.PROMOTE) {
            throw new IllegalArgumentException("approval is only allowed on promote, was on " + name.id());
        }
    }

    public record Approval(boolean required, boolean ticketRequired, Duration timeout) {}
}

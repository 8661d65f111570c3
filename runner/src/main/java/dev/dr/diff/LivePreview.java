package dev.dr.diff;

import dev.dr.plan.model.Phase;
import dev.dr.plan.model.StepUse;
import dev.dr.step.Change;
import dev.dr.step.StepInfo;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** Where the plan-diff gets a step's live changes; empty means the step's offline declaration stands. */
@FunctionalInterface
public interface LivePreview {

    LivePreview OFFLINE = (phase, use, info, with) -> Optional.empty();

    Optional<List<Change>> of(Phase phase, StepUse use, StepInfo info, ObjectNode withDefaults);
}

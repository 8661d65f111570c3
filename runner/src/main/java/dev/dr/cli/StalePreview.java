package dev.dr.cli;

import dev.dr.engine.Engine;
import dev.dr.engine.PhaseOutcome;
import dev.dr.step.ErrorClass;
import java.util.Optional;

/**
 * A run a step refused because live state moved after the plan-diff was shown (a stale saved
 * terraform plan): not a failure of the drill but a plan-diff that no longer holds, which dr
 * apply reports as a refusal (exit 3), as it does a guard's.
 */
final class StalePreview {
    private StalePreview() {}

    /** The phase that refused, if one did. */
    static Optional<String> refusal(Engine.Outcome outcome) {
        return outcome.phases().stream()
                .filter(p -> p.status() == PhaseOutcome.Status.FAILED && ErrorClass.STALE_PREVIEW.id().equals(p.reasonKind()))
                .map(p -> p.phase().id()).findFirst();
    }
}

package dev.dr.diff;

import dev.dr.diff.PhaseDecision.SkipReason;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which phases run, from the plan's boundaries and opt-ins alone. Deterministic:
 * the same plan always gives the same decisions, in the plan's phase order.
 */
public final class Planner {
    private Planner() {}

    /** A full drill: from bringup to the last phase (no stop boundary before it), with teardown. Release validation only. */
    public static boolean isFullDrill(Plan plan) {
        Plan.RunOptions run = plan.run();
        List<Phase> phases = plan.phases();
        int bringup = phases.stream().map(Phase::name).toList().indexOf(PhaseName.BRINGUP);
        int start = run.startAt() == null ? 0 : indexOf(phases, run.startAt());
        return !run.validateOnly() && bringup >= 0 && start <= bringup
                && (run.stopAfter() == null || run.stopAfter() == phases.get(phases.size() - 1).name())
                && run.teardown() && phases.stream().anyMatch(p -> p.name() == PhaseName.TEARDOWN);
    }

    /**
     * Why dr refuses the plan's boundaries before running anything, or empty when it plans them.
     * validateOnly runs only validate, so a startAt or stopAfter naming another phase is an error of
     * the plan (the loader's semantic check reports it where it was set, and dr plan exits 2); a full
     * drill without allowFullDrill is refused by its guard (exit 3). Whoever plans boundaries other
     * than the plan's own (dr compile, for every pair an execution may choose) asks here.
     */
    public static Optional<SkipReason> refusal(Plan plan) {
        Plan.RunOptions run = plan.run();
        if (run.validateOnly() && (notValidate(run.startAt()) || notValidate(run.stopAfter()))) {
            return Optional.of(SkipReason.VALIDATE_ONLY);
        }
        if (isFullDrill(plan) && !run.allowFullDrill()) {
            return Optional.of(SkipReason.FULL_DRILL_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    /** The first phase the boundaries let run: validate for validateOnly, else startAt or the plan's first phase. */
    public static PhaseName startOf(Plan plan) {
        Plan.RunOptions run = plan.run();
        if (run.validateOnly()) {
            return PhaseName.VALIDATE;
        }
        return run.startAt() == null ? plan.phases().get(0).name() : run.startAt();
    }

    /** The last phase the boundaries let run: validate for validateOnly, else stopAfter or the plan's last phase. */
    public static PhaseName stopOf(Plan plan) {
        Plan.RunOptions run = plan.run();
        if (run.validateOnly()) {
            return PhaseName.VALIDATE;
        }
        return run.stopAfter() == null ? plan.phases().get(plan.phases().size() - 1).name() : run.stopAfter();
    }

    public static List<PhaseDecision> decide(Plan plan) {
        Plan.RunOptions run = plan.run();
        List<Phase> phases = plan.phases();
        if (phases.isEmpty()) {
            return List.of(); // a plan without phases has no boundaries to look up
        }
        boolean refusedFullDrill = isFullDrill(plan) && !run.allowFullDrill();
        int startIdx = indexOf(phases, startOf(plan));
        int stopIdx = indexOf(phases, stopOf(plan));
        List<PhaseDecision> out = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            Phase p = phases.get(i);
            if (refusedFullDrill) {
                out.add(PhaseDecision.skip(p, SkipReason.FULL_DRILL_NOT_ALLOWED,
                        "a full drill needs allowFullDrill (--allow-full-drill or ALLOW_FULL_DRILL=1)"));
            } else if (run.validateOnly() && p.name() != PhaseName.VALIDATE) {
                out.add(PhaseDecision.skip(p, SkipReason.VALIDATE_ONLY, "validateOnly runs only validate"));
            } else if (i < startIdx) {
                out.add(PhaseDecision.skip(p, SkipReason.BEFORE_START_AT, "the plan starts at " + phases.get(startIdx).name().id()));
            } else if (i > stopIdx) {
                out.add(PhaseDecision.skip(p, SkipReason.AFTER_STOP_AFTER, "the plan stops after " + phases.get(stopIdx).name().id()));
            } else if (p.name() == PhaseName.PROMOTE && !run.autoPromote()) {
                out.add(PhaseDecision.skip(p, SkipReason.PROMOTE_NOT_REQUESTED, "autoPromote is false"));
            } else if (p.name() == PhaseName.TEARDOWN && !run.teardown()) {
                out.add(PhaseDecision.skip(p, SkipReason.TEARDOWN_NOT_REQUESTED, "teardown is false; the environment stays up"));
            } else {
                out.add(PhaseDecision.run(p));
            }
        }
        return out;
    }

    private static boolean notValidate(PhaseName boundary) {
        return boundary != null && boundary != PhaseName.VALIDATE;
    }

    private static int indexOf(List<Phase> phases, PhaseName name) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).name() == name) {
                return i;
            }
        }
        throw new IllegalArgumentException("phase " + name.id() + " is not in the plan");
    }
}

package dev.dr.compile;

import dev.dr.diff.PhaseDecision;
import dev.dr.diff.PhaseDecision.SkipReason;
import dev.dr.diff.Planner;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which phases run for every pair of stop boundaries an execution may choose, decided by
 * {@link Planner} itself: the state machine then runs exactly what {@code dr apply --start-at S
 * --stop-after T} would run, skips included (promote and teardown not requested), and the pairs
 * dr refuses ({@link Planner#refusal}: a refused full drill) are left out of the valid pairs.
 * A chosen pair replaces all the plan's boundaries (validateOnly too), as dr apply's boundary
 * flags do.
 *
 * @param order       the plan's phases, in order
 * @param valid       for each start phase, the stop phases that make a valid pair with it (in order)
 * @param runs        for each (start, stop) pair, the phases that run
 * @param defaultPair the plan's own boundaries as the pair dr plans the same ({@link Planner#startOf},
 *                    {@link Planner#stopOf}): an execution input that sets neither gets these
 * @param refusals    why ordered pairs of the plan's phases are not valid, if any is not
 */
public record Boundaries(List<PhaseName> order, Map<PhaseName, List<PhaseName>> valid,
                         Map<Pair, Set<PhaseName>> runs, Pair defaultPair, Set<SkipReason> refusals) {

    /** A start and a stop boundary. */
    public record Pair(PhaseName startAt, PhaseName stopAfter) {}

    public Boundaries {
        order = List.copyOf(order);
        valid = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(valid));
        runs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runs));
        // an EnumSet, so that what is said of them comes in one order
        Set<SkipReason> ordered = EnumSet.noneOf(SkipReason.class);
        ordered.addAll(refusals);
        refusals = java.util.Collections.unmodifiableSet(ordered);
    }

    public static Boundaries of(Plan plan) {
        List<PhaseName> order = plan.phases().stream().map(Phase::name).toList();
        Map<PhaseName, List<PhaseName>> valid = new LinkedHashMap<>();
        Map<Pair, Set<PhaseName>> runs = new LinkedHashMap<>();
        Set<SkipReason> refusals = EnumSet.noneOf(SkipReason.class);
        for (int i = 0; i < order.size(); i++) {
            List<PhaseName> stops = new ArrayList<>();
            for (int j = i; j < order.size(); j++) {
                Plan bounded = withBoundaries(plan, order.get(i), order.get(j));
                Optional<SkipReason> refused = Planner.refusal(bounded);
                if (refused.isPresent()) {
                    refusals.add(refused.get());
                    continue;
                }
                Set<PhaseName> running = EnumSet.noneOf(PhaseName.class);
                for (PhaseDecision d : Planner.decide(bounded)) {
                    if (d.runs()) {
                        running.add(d.phase().name());
                    }
                }
                stops.add(order.get(j));
                runs.put(new Pair(order.get(i), order.get(j)), running);
            }
            if (!stops.isEmpty()) {
                valid.put(order.get(i), stops);
            }
        }
        return new Boundaries(order, valid, runs, new Pair(Planner.startOf(plan), Planner.stopOf(plan)), refusals);
    }

    /** True when the plan's own boundaries are a valid pair (a refused full drill is not). */
    public boolean defaultIsValid() {
        return runs.containsKey(defaultPair);
    }

    /** Phases that run for at least one valid pair, in the plan's order: the ones the machine has a task for. */
    public List<PhaseName> candidates() {
        return order.stream().filter(p -> runs.values().stream().anyMatch(r -> r.contains(p))).toList();
    }

    /**
     * For each start phase, the stop phases with which {@code phase} runs; a start whose every
     * valid stop runs it maps to all of them, a start with none is left out.
     */
    public Map<PhaseName, List<PhaseName>> runsWhen(PhaseName phase) {
        Map<PhaseName, List<PhaseName>> out = new EnumMap<>(PhaseName.class);
        for (Map.Entry<PhaseName, List<PhaseName>> e : valid.entrySet()) {
            List<PhaseName> stops = e.getValue().stream()
                    .filter(t -> runs.get(new Pair(e.getKey(), t)).contains(phase)).toList();
            if (!stops.isEmpty()) {
                out.put(e.getKey(), stops);
            }
        }
        return out;
    }

    /** True when {@code phase} runs whatever valid pair the execution chooses. */
    public boolean alwaysRuns(PhaseName phase) {
        return runs.values().stream().allMatch(r -> r.contains(phase));
    }

    private static Plan withBoundaries(Plan plan, PhaseName start, PhaseName stop) {
        Plan.RunOptions r = plan.run();
        // boundaries an execution chooses replace all of the plan's, validateOnly included, as
        // dr apply's boundary flags do; the plan's own pair plans the same either way
        Plan.RunOptions bounded = new Plan.RunOptions(start, stop, false, r.teardown(), r.autoPromote(),
                r.allowPromoteBypass(), r.allowFullDrill(), r.receiptDir(), r.fromReceipt());
        return new Plan(plan.file(), plan.bases(), plan.metadata(), plan.target(), plan.inputs(), bounded, plan.sizing(),
                plan.retry(), plan.phases());
    }
}

package dev.dr.diff;

import dev.dr.diff.PhaseDecision.SkipReason;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import dev.dr.step.PreviewKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The plan-diff ({@code schema/plan-diff.schema.json}) as records: built once by
 * {@link PlanDiffBuilder}, read by every rendering and by dr apply. {@link PlanDiffJson} turns it
 * into the JSON document (and back, for a saved plan); the components follow the schema's
 * properties, so a field of the schema is a component here.
 *
 * @param planDigest SHA-256 of the canonical JSON form, see {@link PlanDiffJson#digestOf}
 */
public record PlanDiff(Header plan, Target target, Inputs inputs, Run run, Sizing sizing, List<Overridden> overrides,
                       SortedMap<String, SortedMap<String, String>> sources, List<String> unsetVariables,
                       List<String> warnings, List<Phase> phases, List<Guard> guards, Summary summary, String planDigest) {

    public static final int FORMAT_VERSION = 1;

    public PlanDiff {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(sizing, "sizing");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(planDigest, "planDigest");
        overrides = List.copyOf(overrides);
        sources = sortedCopy(sources);
        unsetVariables = List.copyOf(unsetVariables);
        warnings = List.copyOf(warnings);
        phases = List.copyOf(phases);
        guards = List.copyOf(guards);
    }

    /** metadata of the plan and the file it came from; {@code bases} is the schema's {@code extends}. */
    public record Header(String name, String description, String ticket, String file, List<String> bases) {
        public Header {
            bases = List.copyOf(bases);
        }
    }

    public record Target(String accountId, String region, String namespace) {}

    public record Inputs(String backupUri, String imageRef, boolean allowTagImageRef, String bucket, String prefix) {}

    /** @param startAt a phase id, or null when the plan leaves it open (likewise stopAfter) */
    public record Run(String startAt, String stopAfter, boolean validateOnly, boolean teardown, boolean autoPromote,
                      boolean allowPromoteBypass, boolean allowFullDrill, String receiptDir, String fromReceipt) {}

    public record Sizing(String instanceType, ValidateJob validateJob) {}

    /** Resources of the validate Job's container. */
    public record ValidateJob(Resources requests, Resources limits) {}

    /** @param cpu a Kubernetes quantity, or null when the plan sets none (likewise memory) */
    public record Resources(String cpu, String memory) {}

    /** A command-line value that replaced a plan value. */
    public record Overridden(String flag, String path, String value) {}

    /**
     * One phase with the planner's decision: a skipped phase has a {@code reason}, one that runs
     * has what it runs ({@code execution}); never both.
     */
    public record Phase(PhaseName name, String description, Reason reason, Execution execution) {
        public Phase {
            Objects.requireNonNull(name, "name");
            if ((reason == null) == (execution == null)) {
                throw new IllegalArgumentException("phase " + name.id() + " must have a reason or an execution, not "
                        + (reason == null ? "neither" : "both"));
            }
        }

        public boolean runs() {
            return execution != null;
        }
    }

    public record Reason(SkipReason kind, String detail) {}

    /** @param approval the promote gate, or null on a phase without one */
    public record Execution(Retry retry, String timeout, Approval approval, List<Step> steps) {
        public Execution {
            steps = List.copyOf(steps);
        }
    }

    /** @param from the environment variables the budget was built from, with their values; empty when none */
    public record Retry(int maxAttempts, List<String> retryOn, Backoff backoff, String worstCase,
                        SortedMap<String, String> from) {
        public Retry {
            retryOn = List.copyOf(retryOn);
            from = Collections.unmodifiableSortedMap(new TreeMap<>(from));
        }

        public Retry(int maxAttempts, List<String> retryOn, Backoff backoff, String worstCase) {
            this(maxAttempts, retryOn, backoff, worstCase, new TreeMap<>());
        }
    }

    public record Backoff(String initial, double multiplier, String max) {
        /** As the plan-diff prints it: an integer when whole (2), a decimal otherwise (1.5). */
        public String multiplierText() {
            return multiplier == Math.rint(multiplier) ? Long.toString((long) multiplier) : Double.toString(multiplier);
        }
    }

    /** @param mode none, bypass-recorded or dr-approve; {@code timeout} is none without a limit */
    public record Approval(String mode, boolean ticketRequired, String timeout) {}

    /**
     * @param source   live or offline
     * @param settings dotted keys to JSON leaves (scalars, arrays, null), sorted by key
     */
    public record Step(String uses, String name, PreviewKind preview, String source, SortedMap<String, JsonNode> settings,
                       List<StepChange> changes) {
        public Step {
            SortedMap<String, JsonNode> copy = new TreeMap<>();
            settings.forEach((k, v) -> copy.put(k, v.deepCopy()));
            settings = Collections.unmodifiableSortedMap(copy);
            changes = List.copyOf(changes);
        }

        public boolean live() {
            return "live".equals(source);
        }
    }

    /** One change a step would make (not {@link dev.dr.step.Change}, what a step declares). */
    public record StepChange(String action, String resource, String detail) {}

    public record Guard(String name, String check, GuardVerdict verdict, String detail) {}

    /** A guard's verdict, by the ids the schema gives. */
    public enum GuardVerdict {
        OK("ok"), REFUSED("refused"), AT_APPLY("at-apply"), NOT_CHECKED_YET("not-checked-yet"),
        NOT_APPLICABLE("not-applicable");

        private final String id;

        GuardVerdict(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public record Summary(int phasesToRun, int phasesSkipped, int steps, Changes changes, String worstCase,
                          long worstCaseSeconds, int unsetVariables, boolean hasChanges) {}

    public record Changes(int create, int update, int delete, int unchanged, int unknown) {}

    /** The same plan-diff with another digest (the builder computes it last). */
    PlanDiff withPlanDigest(String digest) {
        return new PlanDiff(plan, target, inputs, run, sizing, overrides, sources, unsetVariables, warnings, phases,
                guards, summary, digest);
    }

    /**
     * The set environment variables a value at {@code path} was built from, as {@code NAME=value}
     * joined with ", " (secrets already masked), or empty when it came from the plan or a default.
     */
    public String sourceOf(String path) {
        SortedMap<String, String> vars = sources.get(path);
        if (vars == null) {
            return "";
        }
        List<String> out = new ArrayList<>();
        vars.forEach((name, value) -> out.add(name + "=" + value));
        return String.join(", ", out);
    }

    static SortedMap<String, SortedMap<String, String>> sortedCopy(Map<String, ? extends Map<String, String>> in) {
        SortedMap<String, SortedMap<String, String>> out = new TreeMap<>();
        in.forEach((path, vars) -> out.put(path, Collections.unmodifiableSortedMap(new TreeMap<>(vars))));
        return Collections.unmodifiableSortedMap(out);
    }

    /** The plan-diff with the live verdicts in place of the offline ones; the planDigest stays. */
    public PlanDiff withLiveVerdicts(Map<String, Guards.Verdict> live) {
        List<Guard> out = new ArrayList<>();
        for (Guard g : guards) {
            Guards.Verdict v = live.get(g.name());
            // a guard the plan's environment already refused stays refused, whoever asks
            out.add(v == null || g.verdict() == GuardVerdict.REFUSED ? g : new Guard(g.name(), g.check(), v.ok() ? GuardVerdict.OK : GuardVerdict.REFUSED,
                    v.detail()));
        }
        return new PlanDiff(plan, target, inputs, run, sizing, overrides, sources, unsetVariables, warnings, phases, out,
                summary, planDigest);
    }

    /** "name: detail" of each refused guard. */
    public List<String> refusedGuards() {
        return guards.stream().filter(g -> g.verdict() == GuardVerdict.REFUSED)
                .map(g -> g.name() + ": " + g.detail()).toList();
    }

    /** The phase of that name, or null when the plan has none. */
    public Phase phase(PhaseName name) {
        return phases.stream().filter(p -> p.name() == name).findFirst().orElse(null);
    }

    /**
     * The planner's decisions as this plan-diff holds them, for the phases of {@code plan} (the
     * plan it was built from): the engine runs what the plan-diff showed, not a second decision.
     */
    public List<PhaseDecision> decisions(Plan plan) {
        List<dev.dr.plan.model.Phase> given = plan.phases();
        if (given.size() != phases.size()) {
            throw new IllegalArgumentException("the plan-diff has " + phases.size() + " phases, the plan "
                    + given.size());
        }
        List<PhaseDecision> out = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            dev.dr.plan.model.Phase p = given.get(i);
            Phase shown = phases.get(i);
            if (p.name() != shown.name()) {
                throw new IllegalArgumentException("phase " + (i + 1) + " of the plan-diff is " + shown.name().id()
                        + ", of the plan " + p.name().id());
            }
            out.add(shown.runs() ? PhaseDecision.run(p)
                    : PhaseDecision.skip(p, shown.reason().kind(), shown.reason().detail()));
        }
        return out;
    }
}

package dev.dr.compile;

import dev.dr.aws.sfn.TaskTokenGate;
import dev.dr.diff.PhaseDecision.SkipReason;
import dev.dr.diff.Planner;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import dev.dr.step.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A checked plan as an Amazon States Language state machine: the execution input's stop
 * boundaries (defaulting to the plan's) are checked by a Choice state, each phase that can run
 * is a Choice (when boundaries decide it) and a Task running {@code dr apply FILE --phase NAME}
 * on a worker, the promote gate is a {@code .waitForTaskToken} task that
 * {@code dr approve --execution-arn} answers, and every failure ends, through a Pass state that
 * names the failed phase and its receipts, in one Fail state. Same plan and options, same bytes.
 */
public final class StateMachineCompiler {
    /** The promote gate's state name; {@code dr status} shows it as where an execution waits. */
    public static final String GATE_STATE = "ApprovePromotion";
    /** The gate's integration: SNS, whose Message carries the task token (see {@link TaskTokenGate}). */
    public static final String GATE_RESOURCE = "arn:aws:states:::sns:publish.waitForTaskToken";
    public static final String INVALID_BOUNDARIES = "InvalidBoundaries";
    public static final String FAILED = "Failed";
    public static final String DONE = "Done";
    /** The execution input's (and the machine's default) receipt bucket and prefix. */
    public static final String RECEIPT_BUCKET = "receiptBucket";
    public static final String RECEIPT_PREFIX = "receiptPrefix";
    static final String TEARDOWN_CHECK = "ec2.verify-no-runners";
    private static final Pattern SNS_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]{1,256}");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** The definition, and what the operator should know about it (printed on stderr). */
    public record Compiled(ObjectNode definition, List<String> notes) {}

    private StateMachineCompiler() {}

    /** True when the machine compiled from {@code plan} has the promote gate. */
    public static boolean hasGate(Plan plan) {
        Boundaries b = Boundaries.of(plan);
        return b.candidates().contains(PhaseName.PROMOTE) && gated(phase(plan, PhaseName.PROMOTE), plan);
    }

    /**
     * @throws IllegalArgumentException the options do not fit the plan (a gate without an SNS topic,
     *                                  boundaries the plan refuses)
     */
    public static Compiled compile(Plan plan, CompileOptions options) {
        Boundaries b = Boundaries.of(plan);
        if (!b.defaultIsValid()) {
            throw new IllegalArgumentException("the plan's own boundaries (" + b.defaultPair().startAt().id() + " to "
                    + b.defaultPair().stopAfter().id() + ") are refused: "
                    + Planner.refusal(plan).map(StateMachineCompiler::refusal).orElse("dr would run nothing"));
        }
        boolean gate = hasGate(plan);
        if (gate) {
            String arn = options.approvalTopicArn().orElseThrow(() -> new IllegalArgumentException(
                    "the promote gate publishes its approval request to an SNS topic: give --approval-topic-arn ARN"));
            if (!SNS_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException("--approval-topic-arn '" + arn + "' is not an SNS topic ARN"
                        + " (arn:aws:sns:REGION:ACCOUNT:NAME)");
            }
        }
        List<String> notes = new ArrayList<>();
        PhaseTasks tasks = new PhaseTasks(plan, options);
        List<PhaseName> candidates = b.candidates();
        ObjectNode root = F.objectNode();
        root.put("Comment", "dr plan " + plan.file() + " (" + plan.metadata().name() + "): one Task per phase running dr apply "
                + plan.file() + " --phase NAME on the worker. Input (all optional): {\"startAt\": PHASE, \"stopAfter\": PHASE,"
                + " \"fromReceipt\": RECEIPT_DIR, \"receiptBucket\": BUCKET, \"receiptPrefix\": PREFIX}; the plan's own boundaries are " + b.defaultPair().startAt().id() + " to "
                + b.defaultPair().stopAfter().id() + "; an input that gives either boundary replaces both, the other being the"
                + " first or the last phase, as dr apply's boundary flags do.");
        String first = candidates.isEmpty() ? DONE : entry(b, candidates.get(0), plan);
        root.put("StartAt", "Defaults");
        ObjectNode states = root.putObject("States");
        states.set("Defaults", defaults(plan, b, candidates, options));
        states.set(GIVEN, boundariesGiven());
        states.set(OPEN, openBoundaries());
        ObjectNode merge = F.objectNode();
        merge.put("Type", "Pass");
        merge.put("Comment", "Input values win over the plan's defaults.");
        merge.putObject("Parameters").put("run.$", "States.JsonMerge($.defaults, $.input, false)");
        merge.put("Next", "Check boundaries");
        states.set("Boundaries", merge);
        states.set("Check boundaries", checkBoundaries(b, first));
        states.set(INVALID_BOUNDARIES, invalidBoundaries(b));
        for (int k = 0; k < candidates.size(); k++) {
            PhaseName p = candidates.get(k);
            Phase phase = phase(plan, p);
            String next = k + 1 < candidates.size() ? entry(b, candidates.get(k + 1), plan) : DONE;
            boolean gated = p == PhaseName.PROMOTE && gate;
            if (!b.alwaysRuns(p)) {
                states.set(choiceState(p), runChoice(b, p, gated ? GATE_STATE : PhaseTasks.stateName(p), next));
            }
            if (gated) {
                states.set(GATE_STATE, PromoteGate.state(plan, phase, options.approvalTopicArn().orElseThrow(),
                        PhaseTasks.stateName(p)));
                states.set(PromoteGate.FAILED_STATE, PromoteGate.failed());
            }
            states.set(PhaseTasks.stateName(p), tasks.task(phase, gated, next));
            states.set(PhaseTasks.failedState(p), failure(plan, p));
        }
        ObjectNode done = F.objectNode();
        done.put("Type", "Succeed");
        done.put("Comment", "Every phase within the boundaries succeeded; each wrote its receipts on its worker.");
        states.set(DONE, done);
        ObjectNode failed = F.objectNode();
        failed.put("Type", "Fail");
        failed.put("Comment", "A phase failed; nothing downstream ran. Rerun only that phase: start an execution with"
                + " startAt and stopAfter set to it.");
        failed.put("Error", "dr.PhaseFailed");
        failed.put("CausePath", "$.failure.summary");
        states.set(FAILED, failed);
        Phase teardown = plan.phases().stream().filter(ph -> ph.name() == PhaseName.TEARDOWN).findFirst().orElse(null);
        if (teardown != null && candidates.contains(PhaseName.TEARDOWN)
                && teardown.steps().stream().noneMatch(u -> u.uses().equals(TEARDOWN_CHECK))) {
            notes.add("the teardown phase has no " + TEARDOWN_CHECK + " step: nothing verifies that zero DR runners are left");
        }
        return new Compiled(root, notes);
    }

    private static final String GIVEN = "Boundaries given?";
    private static final String OPEN = "Open boundaries";

    static String choiceState(PhaseName p) {
        return "Run " + PhaseTasks.stateName(p) + "?";
    }

    private static String entry(Boundaries b, PhaseName p, Plan plan) {
        if (!b.alwaysRuns(p)) {
            return choiceState(p);
        }
        return p == PhaseName.PROMOTE && hasGate(plan) ? GATE_STATE : PhaseTasks.stateName(p);
    }

    private static boolean gated(Phase promote, Plan plan) {
        return promote.approval() != null && promote.approval().required() && !plan.run().allowPromoteBypass();
    }

    private static Phase phase(Plan plan, PhaseName p) {
        return plan.phases().stream().filter(ph -> ph.name() == p).findFirst().orElseThrow();
    }

    private static ObjectNode defaults(Plan plan, Boundaries b, List<PhaseName> candidates, CompileOptions options) {
        ObjectNode s = F.objectNode();
        s.put("Type", "Pass");
        s.put("Comment", "The plan's own boundaries. fromReceipt is the run whose outputs (the kubeconfig) phases after"
                + " bringup reuse: this execution's bringup when the machine has one, else the plan's own run.fromReceipt."
                + " Each worker uploads its receipts to s3://receiptBucket/receiptPrefix/<execution name>/ (none when"
                + " receiptBucket is empty).");
        ObjectNode p = s.putObject("Parameters");
        ObjectNode d = p.putObject("defaults");
        d.put("startAt", b.defaultPair().startAt().id());
        d.put("stopAfter", b.defaultPair().stopAfter().id());
        if (candidates.contains(PhaseName.BRINGUP)) {
            d.put("fromReceipt.$", PhaseTasks.receiptsFormat(plan, PhaseName.BRINGUP));
        } else {
            d.put("fromReceipt", "");
        }
        d.put(RECEIPT_BUCKET, options.receiptBucket());
        d.put(RECEIPT_PREFIX, options.receiptPrefix());
        ObjectNode open = p.putObject("open");
        open.put("startAt", b.order().get(0).id());
        open.put("stopAfter", b.order().get(b.order().size() - 1).id());
        p.put("input.$", "$");
        s.put("Next", GIVEN);
        return s;
    }

    /** An input that gives either boundary replaces the plan's two. */
    private static ObjectNode boundariesGiven() {
        ObjectNode s = F.objectNode();
        s.put("Type", "Choice");
        s.put("Comment", "Does the input give a boundary? Then it replaces both of the plan's, as dr apply's flags do.");
        ArrayNode or = s.putArray("Choices").addObject().putArray("Or");
        or.addObject().put("Variable", "$.input.startAt").put("IsPresent", true);
        or.addObject().put("Variable", "$.input.stopAfter").put("IsPresent", true);
        ((ObjectNode) s.get("Choices").get(0)).put("Next", OPEN);
        s.put("Default", "Boundaries");
        return s;
    }

    /** The plan's boundaries dropped: the first and the last phase, unless the input gives them. */
    private static ObjectNode openBoundaries() {
        ObjectNode s = F.objectNode();
        s.put("Type", "Pass");
        s.put("Comment", "The boundary the input does not give is the first or the last phase, not the plan's.");
        ObjectNode p = s.putObject("Parameters");
        p.put("defaults.$", "States.JsonMerge($.defaults, $.open, false)");
        p.put("input.$", "$.input");
        s.put("Next", "Boundaries");
        return s;
    }

    /** Valid pairs only: names of the plan's phases, in order, and never a pair dr refuses. */
    private static ObjectNode checkBoundaries(Boundaries b, String first) {
        ObjectNode s = F.objectNode();
        s.put("Type", "Choice");
        s.put("Comment", "startAt and stopAfter must name phases of the plan, stopAfter not before startAt" + refusals(b) + ".");
        ArrayNode choices = s.putArray("Choices");
        for (Map.Entry<PhaseName, List<PhaseName>> e : b.valid().entrySet()) {
            ObjectNode rule = pairRule(e.getKey(), e.getValue(), true);
            rule.put("Next", first);
            choices.add(rule);
        }
        s.put("Default", INVALID_BOUNDARIES);
        return s;
    }

    private static ObjectNode invalidBoundaries(Boundaries b) {
        ObjectNode s = F.objectNode();
        s.put("Type", "Fail");
        s.put("Comment", "Nothing ran.");
        s.put("Error", "dr.InvalidBoundaries");
        s.put("Cause", "startAt and stopAfter must be phases of the plan in this order: "
                + String.join(", ", b.order().stream().map(PhaseName::id).toList()) + ", stopAfter not before startAt"
                + refusals(b) + ".");
        return s;
    }

    /** What else makes dr refuse a pair of this plan's phases, each after "; ". */
    private static String refusals(Boundaries b) {
        StringBuilder out = new StringBuilder();
        for (SkipReason r : b.refusals()) {
            out.append("; ").append(refusal(r));
        }
        return out.toString();
    }

    private static String refusal(SkipReason r) {
        return switch (r) {
            case VALIDATE_ONLY -> "validateOnly runs only the validate phase, so startAt and stopAfter may name no other phase";
            case FULL_DRILL_NOT_ALLOWED -> "a full drill (from bringup to the last phase, with teardown) needs allowFullDrill";
            default -> throw new IllegalStateException("dr refuses no boundaries for " + r.id());
        };
    }

    private static ObjectNode runChoice(Boundaries b, PhaseName p, String run, String skip) {
        ObjectNode s = F.objectNode();
        s.put("Type", "Choice");
        s.put("Comment", "Does " + p.id() + " run within the boundaries? The same decision as dr apply --start-at"
                + " --stop-after.");
        ArrayNode choices = s.putArray("Choices");
        List<ObjectNode> rules = new ArrayList<>();
        for (Map.Entry<PhaseName, List<PhaseName>> e : b.runsWhen(p).entrySet()) {
            // after Check boundaries the pair is valid: when every valid stop runs p, startAt alone decides
            rules.add(pairRule(e.getKey(), e.getValue(), !e.getValue().equals(b.valid().get(e.getKey()))));
        }
        ObjectNode rule;
        if (rules.size() == 1) {
            rule = rules.get(0);
        } else {
            rule = F.objectNode();
            ArrayNode or = rule.putArray("Or");
            rules.forEach(or::add);
        }
        rule.put("Next", run);
        choices.add(rule);
        s.put("Default", skip);
        return s;
    }

    /** startAt is {@code start} and, with {@code testStop}, stopAfter one of {@code stops}. */
    private static ObjectNode pairRule(PhaseName start, List<PhaseName> stops, boolean testStop) {
        ObjectNode startIs = equals("$.run.startAt", start);
        if (!testStop) {
            return startIs;
        }
        ObjectNode stopIs;
        if (stops.size() == 1) {
            stopIs = equals("$.run.stopAfter", stops.get(0));
        } else {
            stopIs = F.objectNode();
            ArrayNode or = stopIs.putArray("Or");
            stops.forEach(t -> or.add(equals("$.run.stopAfter", t)));
        }
        ObjectNode and = F.objectNode();
        and.putArray("And").add(startIs).add(stopIs);
        return and;
    }

    private static ObjectNode equals(String variable, PhaseName p) {
        ObjectNode o = F.objectNode();
        o.put("Variable", variable);
        o.put("StringEquals", p.id());
        return o;
    }

    /** Names the failed phase and where its failed receipt is, for the Fail state's cause. */
    private static ObjectNode failure(Plan plan, PhaseName p) {
        ObjectNode s = F.objectNode();
        s.put("Type", "Pass");
        s.put("Comment", "dr apply wrote the failed receipt of " + p.id() + " on the worker; this records where.");
        ObjectNode f = s.putObject("Parameters");
        f.put("phase", p.id());
        f.put("runId.$", PhaseTasks.runIdFormat(p));
        f.put("receipts.$", PhaseTasks.receiptsFormat(plan, p));
        f.put("error.$", "$.caught.Error");
        f.put("cause.$", "$.caught.Cause");
        f.put("summary.$", "States.Format('phase " + Shell.intrinsic(p.id()) + " failed ({}); its receipts are in "
                + Shell.intrinsic(plan.run().receiptDir()) + "/{}-" + Shell.intrinsic(p.id())
                + " on the worker', $.caught.Error, $$.Execution.Name)");
        s.put("ResultPath", "$.failure");
        s.put("Next", FAILED);
        return s;
    }

    static String timeout(Phase promote) {
        return promote.approval().timeout() == null ? "no time limit" : Durations.format(promote.approval().timeout());
    }
}

package dev.dr.diff;

import dev.dr.catalog.StepCatalog;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.RetryPolicy;
import dev.dr.plan.model.StepUse;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.step.Change;
import dev.dr.step.Durations;
import dev.dr.step.ErrorClass;
import dev.dr.step.Secrets;
import dev.dr.step.StepInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Computes the plan-diff: one {@link PlanDiff} ({@code schema/plan-diff.schema.json}) from which
 * every rendering is made, once per command. Offline: what needs live state is {@code (known after apply)}.
 * No timestamps, no host names, secrets as {@code (sensitive value)}; the document ends with
 * the SHA-256 of its own canonical form ({@link PlanDiffJson#digestOf}).
 */
public final class PlanDiffBuilder {

    public static final int FORMAT_VERSION = PlanDiff.FORMAT_VERSION;
    public static final String KNOWN_AFTER_APPLY = "(known after apply)";
    public static final String SENSITIVE = "(sensitive value)";

    private final JsonNodeFactory f = JsonNodeFactory.instance;
    private final StepCatalog steps;
    private final LivePreview live;

    public PlanDiffBuilder(StepCatalog steps) {
        this(steps, LivePreview.OFFLINE);
    }

    /** @param live the live previews of implemented steps (read-only), or {@link LivePreview#OFFLINE} */
    public PlanDiffBuilder(StepCatalog steps, LivePreview live) {
        this.steps = steps;
        this.live = live;
    }

    /** The plan-diff of {@code loaded}, with the planner's decisions of its plan. */
    public PlanDiff build(LoadedPlan loaded) {
        return build(loaded, Planner.decide(loaded.plan().orElseThrow(() -> new IllegalArgumentException(
                "an invalid plan has no plan-diff"))));
    }

    /** @param decisions {@link Planner#decide} of the loaded plan, when the caller already has them */
    public PlanDiff build(LoadedPlan loaded, List<PhaseDecision> decisions) {
        Plan plan = loaded.plan().orElseThrow(() -> new IllegalArgumentException("an invalid plan has no plan-diff"));
        Shown shown = new Shown(loaded.sensitive());
        PlanDiff.Target target = new PlanDiff.Target(shown.of("target.accountId", plan.target().accountId()),
                shown.of("target.region", plan.target().region()), shown.of("target.namespace", plan.target().namespace()));
        PlanDiff.Inputs inputs = new PlanDiff.Inputs(shown.of("inputs.backupUri", plan.inputs().backupUri()),
                shown.of("inputs.imageRef", plan.inputs().imageRef()), plan.inputs().allowTagImageRef(),
                shown.of("inputs.bucket", plan.inputs().bucket()), shown.of("inputs.prefix", plan.inputs().prefix()));
        PlanDiff.Sizing sizing = sizing(plan.sizing(), shown);
        ObjectNode context = contextOf(target, inputs, sizing);
        Summary sum = new Summary();
        List<PlanDiff.Phase> phases = new ArrayList<>();
        for (int i = 0; i < decisions.size(); i++) {
            phases.add(phase(plan, decisions.get(i), i, loaded, context, sum));
        }
        Map<String, Integer> c = sum.changes;
        PlanDiff.Summary summary = new PlanDiff.Summary(sum.run, sum.skipped, sum.steps,
                new PlanDiff.Changes(c.get("create"), c.get("update"), c.get("delete"), c.get("unchanged"), c.get("unknown")),
                sum.unbounded ? "unbounded" : Durations.format(sum.worstCase),
                sum.unbounded ? -1 : sum.worstCase.toSeconds(), loaded.unset().size(),
                c.entrySet().stream().anyMatch(e -> !e.getKey().equals("unchanged") && e.getValue() > 0));
        PlanDiff undigested = new PlanDiff(
                new PlanDiff.Header(plan.metadata().name(), plan.metadata().description(),
                        shown.of("metadata.ticket", plan.metadata().ticket()), plan.file(), plan.bases()),
                target, inputs, run(plan.run(), shown), sizing,
                loaded.overrides().stream().map(o -> new PlanDiff.Overridden(o.flag(), o.path(), o.value())).toList(),
                PlanDiff.sortedCopy(loaded.sources()), List.copyOf(loaded.unset()), loaded.warnings().stream().map(Object::toString).toList(), phases,
                Guards.offline(plan, decisions, shown, refusedTargets(loaded)), summary, "");
        return undigested.withPlanDigest(PlanDiffJson.digestOf(undigested));
    }

    private final class Summary {
        int run;
        int skipped;
        int steps;
        boolean unbounded;
        Duration worstCase = Duration.ZERO;
        final Map<String, Integer> changes = new TreeMap<>(Map.of("create", 0, "update", 0, "delete", 0, "unchanged", 0,
                "unknown", 0));
    }

    private static PlanDiff.Run run(Plan.RunOptions r, Shown shown) {
        return new PlanDiff.Run(r.startAt() == null ? null : r.startAt().id(), r.stopAfter() == null ? null : r.stopAfter().id(),
                r.validateOnly(), r.teardown(), r.autoPromote(), r.allowPromoteBypass(), r.allowFullDrill(),
                shown.of("run.receiptDir", r.receiptDir()), shown.of("run.fromReceipt", r.fromReceipt()));
    }

    private static PlanDiff.Sizing sizing(Plan.Sizing s, Shown shown) {
        String base = "sizing.validateJob.";
        return new PlanDiff.Sizing(shown.of("sizing.instanceType", s.instanceType()), new PlanDiff.ValidateJob(
                new PlanDiff.Resources(shown.of(base + "requests.cpu", s.requests().cpu()),
                        shown.of(base + "requests.memory", s.requests().memory())),
                new PlanDiff.Resources(shown.of(base + "limits.cpu", s.limits().cpu()),
                        shown.of(base + "limits.memory", s.limits().memory()))));
    }

    private PlanDiff.Phase phase(Plan plan, PhaseDecision d, int index, LoadedPlan loaded, ObjectNode context,
                                 Summary sum) {
        Phase phase = d.phase();
        if (!d.runs()) {
            sum.skipped++;
            return new PlanDiff.Phase(phase.name(), phase.description(), new PlanDiff.Reason(d.reason(), d.detail()), null);
        }
        sum.run++;
        RetryPolicy policy = plan.retry().forPhase(phase.name());
        if (loaded.attemptCap().isPresent()) {
            policy = policy.capped(loaded.attemptCap().get());
        }
        // Unbounded when an attempt has no timeout, or when promote waits for an approval
        // without a time limit.
        boolean waitsForApproval = phase.approval() != null && phase.approval().required()
                && !plan.run().allowPromoteBypass();
        Duration worst = null;
        if (phase.timeout() != null && (!waitsForApproval || phase.approval().timeout() != null)) {
            worst = phase.timeout().multipliedBy(policy.maxAttempts()).plus(policy.totalWait());
            if (waitsForApproval) {
                worst = worst.plus(phase.approval().timeout());
            }
        }
        if (worst == null) {
            sum.unbounded = true;
        } else {
            sum.worstCase = sum.worstCase.plus(worst);
        }
        PlanDiff.Retry retry = new PlanDiff.Retry(policy.maxAttempts(),
                policy.retryOn().stream().map(ErrorClass::id).toList(),
                new PlanDiff.Backoff(Durations.format(policy.backoff().initial()), policy.backoff().multiplier(),
                        Durations.format(policy.backoff().max())),
                worst == null ? "unbounded" : Durations.format(worst), budgetSources(plan, phase.name(), loaded));
        PlanDiff.Approval approval = null;
        if (phase.approval() != null) {
            boolean bypass = plan.run().allowPromoteBypass();
            // a timeout of "none" means the gate waits without a time limit
            approval = new PlanDiff.Approval(!phase.approval().required() ? "none" : bypass ? "bypass-recorded" : "dr-approve",
                    phase.approval().ticketRequired(),
                    phase.approval().timeout() == null ? "none" : Durations.format(phase.approval().timeout()));
        }
        List<PlanDiff.Step> stepsOut = new ArrayList<>();
        for (int j = 0; j < phase.steps().size(); j++) {
            stepsOut.add(step(phase, phase.steps().get(j), NodePath.of("phases", index, "steps", j, "with"), loaded, context, sum));
        }
        return new PlanDiff.Phase(phase.name(), phase.description(), null, new PlanDiff.Execution(retry,
                phase.timeout() == null ? "none" : Durations.format(phase.timeout()), approval, stepsOut));
    }

    /** The account and region guards the environment refused (EXPECTED_ACCOUNT_ID, AWS_REGION), with why. */
    private static Map<String, String> refusedTargets(LoadedPlan loaded) {
        Map<String, String> out = new TreeMap<>();
        for (Problem p : loaded.errors()) {
            if (p.kind() == Problem.Kind.GUARD && p.path().equals(NodePath.of("target", "accountId"))) {
                out.merge("account", p.message(), (a, b) -> a + "; " + b);
            } else if (p.kind() == Problem.Kind.GUARD && p.path().equals(NodePath.of("target", "region"))) {
                out.merge("region", p.message(), (a, b) -> a + "; " + b);
            }
        }
        return out;
    }

    /** The variables the phase's retry budget was built from: its own policy's, else retry.default's. */
    private static java.util.SortedMap<String, String> budgetSources(Plan plan, PhaseName phase, LoadedPlan loaded) {
        String policy = plan.retry().phases().containsKey(phase) ? "retry.phases." + phase.id() + "." : "retry.default.";
        java.util.SortedMap<String, String> out = new TreeMap<>();
        loaded.sources().forEach((path, vars) -> {
            if (path.startsWith(policy)) {
                out.putAll(vars);
            }
        });
        return out;
    }

    private PlanDiff.Step step(Phase phase, StepUse use, NodePath withPath, LoadedPlan loaded, ObjectNode context, Summary sum) {
        StepInfo info = steps.find(use.uses());
        ObjectNode settings = f.objectNode();
        ObjectNode with = info.withDefaults(use.with());
        flatten(with, "", withPath, settings, loaded.sensitive());
        for (String read : info.reads()) {
            JsonNode v = context.at("/" + read.replace('.', '/'));
            flatten(v, read, NodePath.parse(read), settings, loaded.sensitive());
        }
        java.util.Optional<List<Change>> liveChanges = live.of(phase, use, info, with);
        List<PlanDiff.StepChange> changes = new ArrayList<>();
        for (Change change : liveChanges.orElse(info.changes())) {
            String resource = liveChanges.isPresent() ? change.resource() : resolve(change.resource(), with, context,
                    key -> Secrets.isSecretName(key) || loaded.sensitive().contains(withPath.child(key)));
            changes.add(new PlanDiff.StepChange(change.action(), resource,
                    "unknown".equals(change.action()) ? KNOWN_AFTER_APPLY : ""));
            sum.changes.merge(change.action(), 1, Integer::sum);
        }
        sum.steps++;
        java.util.SortedMap<String, JsonNode> flat = new TreeMap<>();
        settings.properties().forEach(e -> flat.put(e.getKey(), e.getValue()));
        return new PlanDiff.Step(use.uses(), use.label(), info.previewKind(), liveChanges.isPresent() ? "live" : "offline",
                flat, changes);
    }

    /** The plan settings steps may read, as the plan-diff shows them (secrets already masked). */
    private static ObjectNode contextOf(PlanDiff.Target target, PlanDiff.Inputs inputs, PlanDiff.Sizing sizing) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("target", PlanDiffJson.target(target));
        ObjectNode in = PlanDiffJson.inputs(inputs);
        in.remove("allowTagImageRef"); // a flag of the plan, not a value a step reads
        root.set("inputs", in);
        root.set("sizing", PlanDiffJson.sizing(sizing));
        return root;
    }

    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{([a-zA-Z.]+)\\}");

    /** Fills {with.x}, {target.x} and {inputs.x} in a change's resource; secrets stay masked. */
    private static String resolve(String template, ObjectNode with, ObjectNode context,
                                  java.util.function.Predicate<String> secretSetting) {
        java.util.regex.Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String path = m.group(1);
            JsonNode v = path.startsWith("with.")
                    ? with.get(path.substring(5))
                    : context.at("/" + path.replace('.', '/'));
            String text;
            if (v == null || v.isMissingNode() || v.isNull()) {
                text = "(not set: " + path + ")";
            } else if (path.startsWith("with.") && secretSetting.test(path.substring(5))) {
                text = SENSITIVE;
            } else {
                text = v.isString() ? v.asString() : v.toString();
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(text));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Writes leaves as dotted keys, masking secrets by key name or by the variable they came from. */
    private void flatten(JsonNode v, String key, NodePath path, ObjectNode out, Set<NodePath> sensitive) {
        if (v == null || v.isMissingNode()) {
            return;
        }
        if (v.isObject()) {
            v.properties().forEach(e -> flatten(e.getValue(), key.isEmpty() ? e.getKey() : key + "." + e.getKey(),
                    path.child(e.getKey()), out, sensitive));
            return;
        }
        String leaf = path.last() == null ? key : path.last().toString();
        if (sensitive.contains(path) || Secrets.isSecretName(leaf)) {
            out.put(key, SENSITIVE);
        } else {
            out.set(key, v.deepCopy());
        }
    }

    static boolean isGuardProblem(Problem p) {
        return p.kind() == Problem.Kind.GUARD;
    }
}

package dev.dr.diff;

import dev.dr.catalog.StepCatalog;
import dev.dr.plan.load.AppliedOverride;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Computes the plan-diff: one JSON document ({@code schema/plan-diff.schema.json}) from which
 * every rendering is made. Offline: what needs live state is {@code (known after apply)}.
 * No timestamps, no host names, secrets as {@code (sensitive value)}; the document ends with
 * the SHA-256 of its own canonical form.
 */
public final class PlanDiffBuilder {

    public static final int FORMAT_VERSION = 1;
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

    public ObjectNode build(LoadedPlan loaded) {
        Plan plan = loaded.plan().orElseThrow(() -> new IllegalArgumentException("an invalid plan has no plan-diff"));
        Set<NodePath> sensitive = loaded.sensitive();
        Shown shown = new Shown(sensitive);
        ObjectNode doc = f.objectNode();
        doc.put("formatVersion", FORMAT_VERSION);
        ObjectNode p = doc.putObject("plan");
        p.put("name", plan.metadata().name());
        p.put("description", plan.metadata().description());
        p.put("ticket", shown.of("metadata.ticket", plan.metadata().ticket()));
        p.put("file", plan.file());
        ArrayNode bases = p.putArray("extends");
        plan.bases().forEach(bases::add);
        ObjectNode context = contextOf(plan, shown);
        doc.set("target", context.get("target"));
        ObjectNode inputs = (ObjectNode) context.get("inputs").deepCopy();
        inputs.put("allowTagImageRef", plan.inputs().allowTagImageRef());
        doc.set("inputs", inputs);
        doc.set("run", run(plan.run(), shown));
        doc.set("sizing", context.get("sizing"));
        ArrayNode overrides = doc.putArray("overrides");
        for (AppliedOverride o : loaded.overrides()) {
            ObjectNode n = overrides.addObject();
            n.put("flag", o.flag());
            n.put("path", o.path());
            n.put("value", o.value());
        }
        ArrayNode unset = doc.putArray("unsetVariables");
        loaded.unset().forEach(unset::add);
        ArrayNode warnings = doc.putArray("warnings");
        loaded.warnings().forEach(w -> warnings.add(w.toString()));

        List<PhaseDecision> decisions = Planner.decide(plan);
        ArrayNode phases = doc.putArray("phases");
        Summary sum = new Summary();
        for (int i = 0; i < decisions.size(); i++) {
            phases.add(phase(plan, decisions.get(i), i, loaded, context, sum));
        }
        doc.set("guards", Guards.offline(plan, decisions, shown));
        ObjectNode summary = doc.putObject("summary");
        summary.put("phasesToRun", sum.run);
        summary.put("phasesSkipped", sum.skipped);
        summary.put("steps", sum.steps);
        // format 1 keeps these two fields: every step a plan may name has a class, so they are constant
        summary.put("stepsNotImplemented", 0);
        ObjectNode changes = summary.putObject("changes");
        sum.changes.forEach(changes::put);
        summary.put("worstCase", sum.unbounded ? "unbounded" : Durations.format(sum.worstCase));
        summary.put("worstCaseSeconds", sum.unbounded ? -1 : sum.worstCase.toSeconds());
        summary.put("unsetVariables", loaded.unset().size());
        summary.put("hasChanges", sum.changes.entrySet().stream().anyMatch(e -> !e.getKey().equals("unchanged") && e.getValue() > 0));
        doc.put("planDigest", Canonical.sha256(Guards.forDigest(doc)));
        return (ObjectNode) Canonical.sorted(doc);
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

    private ObjectNode run(Plan.RunOptions r, Shown shown) {
        ObjectNode n = f.objectNode();
        n.put("startAt", r.startAt() == null ? null : r.startAt().id());
        n.put("stopAfter", r.stopAfter() == null ? null : r.stopAfter().id());
        n.put("validateOnly", r.validateOnly());
        n.put("teardown", r.teardown());
        n.put("autoPromote", r.autoPromote());
        n.put("allowPromoteBypass", r.allowPromoteBypass());
        n.put("allowFullDrill", r.allowFullDrill());
        n.put("receiptDir", shown.of("run.receiptDir", r.receiptDir()));
        n.put("fromReceipt", shown.of("run.fromReceipt", r.fromReceipt()));
        return n;
    }

    private ObjectNode sizing(Plan.Sizing s, Shown shown) {
        ObjectNode n = f.objectNode();
        n.put("instanceType", shown.of("sizing.instanceType", s.instanceType()));
        ObjectNode job = n.putObject("validateJob");
        String base = "sizing.validateJob.";
        job.putObject("requests").put("cpu", shown.of(base + "requests.cpu", s.requests().cpu()))
                .put("memory", shown.of(base + "requests.memory", s.requests().memory()));
        job.putObject("limits").put("cpu", shown.of(base + "limits.cpu", s.limits().cpu()))
                .put("memory", shown.of(base + "limits.memory", s.limits().memory()));
        return n;
    }

    private ObjectNode phase(Plan plan, PhaseDecision d, int index, LoadedPlan loaded, ObjectNode context,
                             Summary sum) {
        Phase phase = d.phase();
        ObjectNode n = f.objectNode();
        n.put("name", phase.name().id());
        n.put("description", phase.description());
        n.put("decision", d.runs() ? "run" : "skip");
        if (d.runs()) {
            n.putNull("reason");
            sum.run++;
        } else {
            ObjectNode reason = n.putObject("reason");
            reason.put("kind", d.reason().id());
            reason.put("detail", d.detail());
            sum.skipped++;
            return n;
        }
        RetryPolicy policy = plan.retry().forPhase(phase.name());
        if (loaded.attemptCap().isPresent()) {
            policy = policy.capped(loaded.attemptCap().get());
        }
        ObjectNode retry = n.putObject("retry");
        retry.put("maxAttempts", policy.maxAttempts());
        ArrayNode on = retry.putArray("retryOn");
        policy.retryOn().stream().map(ErrorClass::id).forEach(on::add);
        ObjectNode backoff = retry.putObject("backoff");
        backoff.put("initial", Durations.format(policy.backoff().initial()));
        putNumber(backoff, "multiplier", policy.backoff().multiplier());
        backoff.put("max", Durations.format(policy.backoff().max()));
        n.put("timeout", phase.timeout() == null ? "none" : Durations.format(phase.timeout()));
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
        retry.put("worstCase", worst == null ? "unbounded" : Durations.format(worst));
        if (worst == null) {
            sum.unbounded = true;
        } else {
            sum.worstCase = sum.worstCase.plus(worst);
        }
        if (phase.approval() != null) {
            ObjectNode a = n.putObject("approval");
            boolean bypass = plan.run().allowPromoteBypass();
            a.put("mode", !phase.approval().required() ? "none" : bypass ? "bypass-recorded" : "dr-approve");
            a.put("ticketRequired", phase.approval().ticketRequired());
            a.put("timeout", phase.approval().timeout() == null ? "none" : Durations.format(phase.approval().timeout()));
            // "none" means the gate waits without a time limit
        }
        ArrayNode stepsOut = n.putArray("steps");
        for (int j = 0; j < phase.steps().size(); j++) {
            stepsOut.add(step(phase, phase.steps().get(j), NodePath.of("phases", index, "steps", j, "with"), loaded, context, sum));
        }
        return n;
    }

    private ObjectNode step(Phase phase, StepUse use, NodePath withPath, LoadedPlan loaded, ObjectNode context, Summary sum) {
        StepInfo info = steps.find(use.uses());
        ObjectNode n = f.objectNode();
        n.put("uses", use.uses());
        n.put("name", use.label());
        n.put("implemented", true);
        n.put("preview", info.previewKind().id());
        ObjectNode settings = n.putObject("settings");
        ObjectNode with = info.withDefaults(use.with());
        flatten(with, "", withPath, settings, loaded.sensitive());
        for (String read : info.reads()) {
            JsonNode v = context.at("/" + read.replace('.', '/'));
            flatten(v, read, NodePath.parse(read), settings, loaded.sensitive());
        }
        ArrayNode changes = n.putArray("changes");
        java.util.Optional<List<Change>> liveChanges = live.of(phase, use, info, with);
        n.put("source", liveChanges.isPresent() ? "live" : "offline");
        for (Change change : liveChanges.orElse(info.changes())) {
            ObjectNode c = changes.addObject();
            c.put("action", change.action());
            c.put("resource", liveChanges.isPresent() ? change.resource() : resolve(change.resource(), with, context,
                    key -> Secrets.isSecretName(key) || loaded.sensitive().contains(withPath.child(key))));
            c.put("detail", "unknown".equals(change.action()) ? KNOWN_AFTER_APPLY : "");
            sum.changes.merge(change.action(), 1, Integer::sum);
        }
        sum.steps++;
        return n;
    }

    /** The plan settings steps may read, as the plan-diff shows them (secrets already masked). */
    private ObjectNode contextOf(Plan plan, Shown shown) {
        ObjectNode root = f.objectNode();
        ObjectNode target = root.putObject("target");
        target.put("accountId", shown.of("target.accountId", plan.target().accountId()));
        target.put("region", shown.of("target.region", plan.target().region()));
        target.put("namespace", shown.of("target.namespace", plan.target().namespace()));
        ObjectNode inputs = root.putObject("inputs");
        inputs.put("backupUri", shown.of("inputs.backupUri", plan.inputs().backupUri()));
        inputs.put("imageRef", shown.of("inputs.imageRef", plan.inputs().imageRef()));
        inputs.put("bucket", shown.of("inputs.bucket", plan.inputs().bucket()));
        inputs.put("prefix", shown.of("inputs.prefix", plan.inputs().prefix()));
        root.set("sizing", sizing(plan.sizing(), shown));
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

    private static void putNumber(ObjectNode n, String key, double v) {
        if (v == Math.rint(v)) {
            n.put(key, (long) v);
        } else {
            n.put(key, v);
        }
    }

    static boolean isGuardProblem(Problem p) {
        return p.kind() == Problem.Kind.GUARD;
    }
}

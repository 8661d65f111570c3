package dev.dr.compare;

import dev.dr.catalog.StepCatalog;
import dev.dr.compare.PlanChange.Kind;
import dev.dr.compare.PlanChange.Section;
import dev.dr.diff.PlanDiff;
import dev.dr.diff.PlanDiffBuilder;
import dev.dr.diff.PlanDiffJson;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Computes the plan-change document ({@code schema/plan-change.schema.json}): what changes in
 * behaviour from one plan to another. Both sides go through the plan-diff builder, offline, so
 * the comparison sees the resolved plans (extends, ${VAR}, step defaults) with secrets already
 * masked, never YAML text. Each side is built twice: as the plan decides (which phases run,
 * the guards, the worst case) and with every phase running, so that a change to a phase the
 * plan skips today (a step of teardown in a validate-only plan) still shows.
 */
public final class PlanChangeBuilder {

    public static final int FORMAT_VERSION = 1;
    static final String ABSENT = "absent";

    private final JsonNodeFactory f = JsonNodeFactory.instance;
    private final StepCatalog steps;
    private final PlanDiffBuilder diffs;

    public PlanChangeBuilder(StepCatalog steps) {
        this.steps = steps;
        this.diffs = new PlanDiffBuilder(steps);
    }

    /** One side's plan-diffs: as the plan decides, and with every phase running. */
    record Docs(Plan plan, PlanDiff behaviour, PlanDiff definition) {}

    public ObjectNode build(PlanSide old, PlanSide neu) {
        Optional<Docs> o = old.loaded().map(this::docs);
        Optional<Docs> n = neu.loaded().map(this::docs);
        List<PlanChange> changes = new ArrayList<>();
        if (o.isPresent() && n.isPresent()) {
            changes.addAll(compare(o.get(), n.get()));
        } else if (n.isPresent()) {
            changes.add(new PlanChange(Section.PLAN, Kind.ADDED, null, null, null, "", null,
                    StringNode.valueOf(n.get().plan().metadata().name()), false,
                    "a new plan: all it does is new (dr plan shows it)"));
        } else if (o.isPresent()) {
            changes.add(new PlanChange(Section.PLAN, Kind.REMOVED, null, null, null, "",
                    StringNode.valueOf(o.get().plan().metadata().name()), null, false, "the plan was removed"));
        }
        ObjectNode doc = f.objectNode();
        doc.put("formatVersion", FORMAT_VERSION);
        doc.set("old", side(old, o));
        doc.set("new", side(neu, n));
        doc.set("phases", PhaseComparer.decisionTable(o.map(Docs::behaviour), n.map(Docs::behaviour)));
        ArrayNode list = doc.putArray("changes");
        changes.forEach(c -> list.add(json(c)));
        ObjectNode summary = doc.putObject("summary");
        summary.put("changes", changes.size());
        summary.put("hasChanges", !changes.isEmpty());
        summary.put("targetChanged", changes.stream().anyMatch(PlanChange::loud));
        summary.set("old", totals(o));
        summary.set("new", totals(n));
        return (ObjectNode) dev.dr.diff.Canonical.sorted(doc);
    }

    private Docs docs(LoadedPlan loaded) {
        Plan plan = loaded.plan().orElseThrow();
        return new Docs(plan, diffs.build(loaded), diffs.build(everyPhaseRuns(loaded)));
    }

    /**
     * The same plan with boundaries open and every opt-in on, so that the plan-diff describes
     * every phase; the promote bypass stays as the plan says, because it decides the approval.
     */
    static LoadedPlan everyPhaseRuns(LoadedPlan loaded) {
        Plan p = loaded.plan().orElseThrow();
        Plan.RunOptions r = p.run();
        Plan.RunOptions all = new Plan.RunOptions(null, null, false, true, true, r.allowPromoteBypass(), true,
                r.receiptDir(), r.fromReceipt());
        Plan open = new Plan(p.file(), p.bases(), p.metadata(), p.target(), p.inputs(), all, p.sizing(), p.retry(),
                p.phases());
        return new LoadedPlan(Optional.of(open), List.of(), loaded.unset(), loaded.sensitive(), List.of(),
                loaded.attemptCap(), Optional.empty(), loaded.sources());
    }

    private List<PlanChange> compare(Docs o, Docs n) {
        List<PlanChange> out = new ArrayList<>();
        PlanDiff b = o.behaviour();
        PlanDiff a = n.behaviour();
        fields(out, Section.TARGET, "target.", PlanDiffJson.target(b.target()).put("environment", o.plan().target().environment()),
                PlanDiffJson.target(a.target()).put("environment", n.plan().target().environment()));
        fields(out, Section.PLAN, "metadata.", f.objectNode().put("ticket", b.plan().ticket()),
                f.objectNode().put("ticket", a.plan().ticket()));
        fields(out, Section.INPUTS, "inputs.", PlanDiffJson.inputs(b.inputs()), PlanDiffJson.inputs(a.inputs()));
        fields(out, Section.RUN, "run.", PlanDiffJson.run(b.run()), PlanDiffJson.run(a.run()));
        fields(out, Section.SIZING, "sizing.", PlanDiffJson.sizing(b.sizing()), PlanDiffJson.sizing(a.sizing()));
        variables(out, b.unsetVariables(), a.unsetVariables());
        out.addAll(new PhaseComparer(steps).compare(o, n));
        guards(out, b.guards(), a.guards());
        return out;
    }

    private static void fields(List<PlanChange> out, Section section, String prefix, JsonNode before, JsonNode after) {
        Map<String, JsonNode> b = Flat.of(before);
        Map<String, JsonNode> a = Flat.of(after);
        TreeSet<String> keys = new TreeSet<>(b.keySet());
        keys.addAll(a.keySet());
        for (String k : keys) {
            JsonNode x = b.get(k);
            JsonNode y = a.get(k);
            if (x == null || y == null || !x.equals(y)) {
                out.add(PlanChange.field(section, null, null, prefix + k, x, y));
            }
        }
    }

    private static void variables(List<PlanChange> out, List<String> before, List<String> after) {
        TreeSet<String> b = new TreeSet<>(before);
        TreeSet<String> a = new TreeSet<>(after);
        for (String v : a) {
            if (!b.contains(v)) {
                out.add(new PlanChange(Section.VARIABLES, Kind.ADDED, null, null, null, "unsetVariables", null,
                        StringNode.valueOf(v), false, "dr apply refuses to run until it is set"));
            }
        }
        for (String v : b) {
            if (!a.contains(v)) {
                out.add(new PlanChange(Section.VARIABLES, Kind.REMOVED, null, null, null, "unsetVariables",
                        StringNode.valueOf(v), null, false, ""));
            }
        }
    }

    /** Guards by name, in the new plan's order, then those the old plan had and the new one lacks. */
    private void guards(List<PlanChange> out, List<PlanDiff.Guard> before, List<PlanDiff.Guard> after) {
        Map<String, ObjectNode> b = byName(before);
        Map<String, ObjectNode> a = byName(after);
        for (Map.Entry<String, ObjectNode> e : a.entrySet()) {
            ObjectNode old = b.get(e.getKey());
            if (old == null) {
                out.add(new PlanChange(Section.GUARDS, Kind.ADDED, null, null, e.getKey(), "", null, e.getValue(),
                        false, ""));
                continue;
            }
            for (String field : List.of("verdict", "check", "detail")) {
                if (!old.get(field).equals(e.getValue().get(field))) {
                    out.add(new PlanChange(Section.GUARDS, Kind.CHANGED, null, null, e.getKey(), field, old.get(field),
                            e.getValue().get(field), false, ""));
                }
            }
        }
        for (Map.Entry<String, ObjectNode> e : b.entrySet()) {
            if (!a.containsKey(e.getKey())) {
                out.add(new PlanChange(Section.GUARDS, Kind.REMOVED, null, null, e.getKey(), "", e.getValue(), null,
                        false, ""));
            }
        }
    }

    /** Each guard's verdict, check and detail by its name, in the plan-diff's order. */
    private static Map<String, ObjectNode> byName(List<PlanDiff.Guard> guards) {
        Map<String, ObjectNode> out = new java.util.LinkedHashMap<>();
        guards.forEach(g -> out.put(g.name(), PlanDiffJson.guard(g)));
        return out;
    }

    private ObjectNode side(PlanSide side, Optional<Docs> docs) {
        ObjectNode n = f.objectNode();
        n.put("file", side.file());
        n.put("revision", side.revision().orElse(null));
        n.put("exists", docs.isPresent());
        n.put("name", docs.map(d -> d.plan().metadata().name()).orElse(""));
        ArrayNode ext = n.putArray("extends");
        docs.ifPresent(d -> d.plan().bases().forEach(ext::add));
        n.put("planDigest", docs.map(d -> d.behaviour().planDigest()).orElse(null));
        return n;
    }

    private ObjectNode totals(Optional<Docs> docs) {
        ObjectNode n = f.objectNode();
        PlanDiff.Summary s = docs.map(d -> d.behaviour().summary()).orElse(null);
        n.put("phasesToRun", s == null ? 0 : s.phasesToRun());
        n.put("phasesSkipped", s == null ? 0 : s.phasesSkipped());
        n.put("steps", s == null ? 0 : s.steps());
        n.put("worstCase", s == null ? "none" : s.worstCase());
        return n;
    }

    private ObjectNode json(PlanChange c) {
        ObjectNode n = f.objectNode();
        n.put("section", c.section().id());
        n.put("change", c.change().id());
        n.put("phase", c.phase());
        n.put("step", c.step());
        n.put("guard", c.guard());
        n.put("field", c.field());
        n.set("before", c.before());
        n.set("after", c.after());
        n.put("loud", c.loud());
        n.put("detail", c.detail());
        return n;
    }
}

package dev.dr.compare;

import dev.dr.catalog.StepCatalog;
import dev.dr.compare.PlanChange.Kind;
import dev.dr.compare.PlanChange.Section;
import dev.dr.compare.PlanChangeBuilder.Docs;
import dev.dr.diff.PlanDiff;
import dev.dr.diff.PlanDiffJson;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.StringNode;

/**
 * Phases of two plans, by name: whether each runs (from the plans as they decide), and how
 * each is defined (retry budget, timeout, approval, steps; from the plans with every phase
 * running). Phases come in the new plan's order, then the ones only the old plan has.
 */
final class PhaseComparer {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final StepCatalog steps;

    PhaseComparer(StepCatalog steps) {
        this.steps = steps;
    }

    /** "run", "skip: REASON-KIND" or "absent" for every phase either plan has. */
    static ArrayNode decisionTable(Optional<PlanDiff> old, Optional<PlanDiff> neu) {
        Map<String, String> b = old.map(PhaseComparer::decisions).orElse(Map.of());
        Map<String, String> a = neu.map(PhaseComparer::decisions).orElse(Map.of());
        ArrayNode out = F.arrayNode();
        for (String name : names(b.keySet(), a.keySet())) {
            out.addObject().put("name", name).put("old", b.getOrDefault(name, PlanChangeBuilder.ABSENT))
                    .put("new", a.getOrDefault(name, PlanChangeBuilder.ABSENT));
        }
        return out;
    }

    List<PlanChange> compare(Docs o, Docs n) {
        Map<String, String> decidedBefore = decisions(o.behaviour());
        Map<String, String> decidedAfter = decisions(n.behaviour());
        Map<String, PlanDiff.Phase> before = byName(o.definition());
        Map<String, PlanDiff.Phase> after = byName(n.definition());
        List<PlanChange> phaseChanges = new ArrayList<>();
        List<PlanChange> stepChanges = new ArrayList<>();
        for (String name : names(before.keySet(), after.keySet())) {
            PlanDiff.Phase x = before.get(name);
            PlanDiff.Phase y = after.get(name);
            if (x == null) {
                phaseChanges.add(new PlanChange(Section.PHASES, Kind.ADDED, name, null, null, "", null,
                        StringNode.valueOf(decidedAfter.get(name)), false, "steps: " + stepNames(y)));
                continue;
            }
            if (y == null) {
                phaseChanges.add(new PlanChange(Section.PHASES, Kind.REMOVED, name, null, null, "",
                        StringNode.valueOf(decidedBefore.get(name)), null, false, "steps: " + stepNames(x)));
                continue;
            }
            String db = decidedBefore.get(name);
            String da = decidedAfter.get(name);
            if (!db.equals(da)) {
                phaseChanges.add(new PlanChange(Section.PHASES, Kind.CHANGED, name, null, null, "decision",
                        StringNode.valueOf(db), StringNode.valueOf(da), false, consequence(db, da, x, y)));
            }
            for (String part : List.of("timeout", "retry", "approval")) {
                Map<String, JsonNode> pb = Flat.of(part(x, part));
                Map<String, JsonNode> pa = Flat.of(part(y, part));
                for (String k : sortedUnion(pb.keySet(), pa.keySet())) {
                    JsonNode vb = pb.get(k);
                    JsonNode va = pa.get(k);
                    if (vb == null || va == null || !vb.equals(va)) {
                        String field = k.isEmpty() ? part : part + "." + k;
                        phaseChanges.add(PlanChange.field(Section.PHASES, name, null, field, vb, va));
                    }
                }
            }
            stepChanges.addAll(new StepComparer(steps, name, phase(o.plan(), name), phase(n.plan(), name))
                    .compare(steps(x), steps(y)));
        }
        List<PlanChange> out = new ArrayList<>(phaseChanges);
        out.addAll(stepChanges);
        return out;
    }

    /** What a changed decision means for the steps, in words. */
    private static String consequence(String before, String after, PlanDiff.Phase x, PlanDiff.Phase y) {
        boolean ran = before.equals("run");
        boolean runs = after.equals("run");
        if (!ran && runs) {
            return "now runs: " + stepNames(y) + "; worst case " + y.execution().retry().worstCase();
        }
        if (ran && !runs) {
            return "no longer runs: " + stepNames(x);
        }
        return "";
    }

    static String stepNames(PlanDiff.Phase phase) {
        List<String> out = steps(phase).stream().map(PlanDiff.Step::name).toList();
        return out.isEmpty() ? "(none)" : String.join(", ", out);
    }

    /** The steps of a phase that runs; none for a skipped one. */
    private static List<PlanDiff.Step> steps(PlanDiff.Phase phase) {
        return phase.runs() ? phase.execution().steps() : List.of();
    }

    /** timeout, retry or approval of a phase as the plan-diff writes it, or null where it has none. */
    private static JsonNode part(PlanDiff.Phase phase, String part) {
        PlanDiff.Execution e = phase.execution();
        if (e == null) {
            return null;
        }
        return switch (part) {
            case "timeout" -> StringNode.valueOf(e.timeout());
            case "retry" -> PlanDiffJson.retry(e.retry());
            default -> e.approval() == null ? null : PlanDiffJson.approval(e.approval());
        };
    }

    private static Phase phase(Plan plan, String name) {
        return plan.phases().stream().filter(p -> p.name().id().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("phase " + name + " is in the plan-diff but not the plan"));
    }

    private static Map<String, String> decisions(PlanDiff doc) {
        Map<String, String> out = new LinkedHashMap<>();
        for (PlanDiff.Phase p : doc.phases()) {
            out.put(p.name().id(), p.runs() ? "run" : "skip: " + p.reason().kind().id());
        }
        return out;
    }

    private static Map<String, PlanDiff.Phase> byName(PlanDiff doc) {
        Map<String, PlanDiff.Phase> out = new LinkedHashMap<>();
        doc.phases().forEach(p -> out.put(p.name().id(), p));
        return out;
    }

    static java.util.SortedSet<String> sortedUnion(Set<String> a, Set<String> b) {
        java.util.SortedSet<String> out = new java.util.TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    /** The new side's names in its order, then the old side's that the new one lacks. */
    static List<String> names(Set<String> before, Set<String> after) {
        Set<String> out = new LinkedHashSet<>(after);
        out.addAll(before);
        return List.copyOf(out);
    }
}

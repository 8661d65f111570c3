package dev.dr.compare;

import dev.dr.catalog.StepCatalog;
import dev.dr.compare.PlanChange.Kind;
import dev.dr.compare.PlanChange.Section;
import dev.dr.diff.PlanDiff;
import dev.dr.diff.PlanDiffBuilder;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.StepUse;
import dev.dr.step.StepInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The steps of one phase in two plans. A step is known by its name (its uses: unless it has a
 * name), the second of the same name in a phase as NAME#2; steps are added, removed, moved or
 * changed in their with: values and in what they would change. Settings a step reads from the
 * plan (target.namespace, sizing...) are left out: their change is reported once, where the
 * plan sets them.
 */
final class StepComparer {

    private final StepCatalog steps;
    private final String phase;
    private final Phase oldPhase;
    private final Phase newPhase;

    StepComparer(StepCatalog steps, String phase, Phase oldPhase, Phase newPhase) {
        this.steps = steps;
        this.phase = phase;
        this.oldPhase = oldPhase;
        this.newPhase = newPhase;
    }

    /** A step of the plan-diff with its key and what the plan wrote in it. */
    private record Entry(String key, int position, PlanDiff.Step diff, StepUse use) {}

    List<PlanChange> compare(List<PlanDiff.Step> before, List<PlanDiff.Step> after) {
        Map<String, Entry> b = keyed(before, oldPhase);
        Map<String, Entry> a = keyed(after, newPhase);
        List<PlanChange> out = new ArrayList<>();
        for (Entry e : b.values()) {
            if (!a.containsKey(e.key())) {
                out.add(new PlanChange(Section.STEPS, Kind.REMOVED, phase, e.key(), null, "", described(e), null, false, ""));
            }
        }
        for (Entry e : a.values()) {
            if (!b.containsKey(e.key())) {
                out.add(new PlanChange(Section.STEPS, Kind.ADDED, phase, e.key(), null, "", null, described(e), false,
                        "at position " + e.position()));
            }
        }
        List<String> keptBefore = b.keySet().stream().filter(a::containsKey).toList();
        List<String> keptAfter = a.keySet().stream().filter(b::containsKey).toList();
        if (!keptBefore.equals(keptAfter)) {
            out.add(new PlanChange(Section.STEPS, Kind.REORDERED, phase, null, null, "order", names(b), names(a), false, ""));
        }
        for (String key : keptAfter) {
            out.addAll(changed(b.get(key), a.get(key)));
        }
        return out;
    }

    private List<PlanChange> changed(Entry x, Entry y) {
        List<PlanChange> out = new ArrayList<>();
        if (!x.use().uses().equals(y.use().uses())) {
            out.add(PlanChange.field(Section.STEPS, phase, y.key(), "uses", StringNode.valueOf(x.use().uses()),
                    StringNode.valueOf(y.use().uses())));
        }
        Map<String, JsonNode> sb = with(x);
        Map<String, JsonNode> sa = with(y);
        Map<String, JsonNode> rawB = Flat.of(info(x).withDefaults(x.use().with()));
        Map<String, JsonNode> rawA = Flat.of(info(y).withDefaults(y.use().with()));
        for (String k : PhaseComparer.sortedUnion(sb.keySet(), sa.keySet())) {
            JsonNode vb = sb.get(k);
            JsonNode va = sa.get(k);
            if (vb == null || va == null || !vb.equals(va)) {
                out.add(PlanChange.field(Section.STEPS, phase, y.key(), "with." + k, vb, va));
            } else if (isSensitive(vb) && rawB.containsKey(k) && rawA.containsKey(k) && !rawB.get(k).equals(rawA.get(k))) {
                // both masked: say that it changed, never what it was or is
                out.add(new PlanChange(Section.STEPS, Kind.CHANGED, phase, y.key(), null, "with." + k, vb, va, false,
                        "the sensitive value changed"));
            }
        }
        ArrayNode cb = resources(x.diff());
        ArrayNode ca = resources(y.diff());
        if (!cb.equals(ca)) {
            out.add(PlanChange.field(Section.STEPS, phase, y.key(), "changes", cb, ca));
        }
        return out;
    }

    private static boolean isSensitive(JsonNode v) {
        return v.isString() && PlanDiffBuilder.SENSITIVE.equals(v.asString());
    }

    /** The settings the plan wrote in with: (and their defaults), without those read from the plan. */
    private Map<String, JsonNode> with(Entry e) {
        List<String> reads = info(e).reads();
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        e.diff().settings().forEach((key, value) -> {
            boolean read = reads.stream().anyMatch(r -> key.equals(r) || key.startsWith(r + "."));
            if (!read) {
                out.put(key, value);
            }
        });
        return out;
    }

    private StepInfo info(Entry e) {
        return steps.find(e.use().uses());
    }

    private ObjectNode described(Entry e) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("uses", e.use().uses());
        ObjectNode settings = n.putObject("with");
        with(e).forEach(settings::set);
        n.set("changes", resources(e.diff()));
        return n;
    }

    private static ArrayNode resources(PlanDiff.Step step) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        step.changes().forEach(c -> out.add(c.action() + " " + c.resource()));
        return out;
    }

    private static ArrayNode names(Map<String, Entry> m) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        m.keySet().forEach(out::add);
        return out;
    }

    private static Map<String, Entry> keyed(List<PlanDiff.Step> diffSteps, Phase phase) {
        Map<String, Entry> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < diffSteps.size(); i++) {
            PlanDiff.Step s = diffSteps.get(i);
            String name = s.name();
            int n = seen.merge(name, 1, Integer::sum);
            String key = n == 1 ? name : name + "#" + n;
            out.put(key, new Entry(key, i + 1, s, phase.steps().get(i)));
        }
        return out;
    }
}

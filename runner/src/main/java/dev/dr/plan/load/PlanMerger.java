package dev.dr.plan.load;

import dev.dr.plan.model.PhaseName;
import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.SourceDoc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges a plan over the plan it extends: maps merge deeply, {@code phases} merge by name
 * (and come out in lifecycle order), every other list and every scalar of the child replaces
 * the base's. Positions follow the values, so a message about a value names the file it
 * came from.
 */
final class PlanMerger {

    static final NodePath PHASES = NodePath.of("phases");

    /** Keys of a retry policy that say the same thing two ways: a plan gives one of them. */
    private static final Map<String, String> ALTERNATIVES = Map.of("maxAttempts", "maxRetries", "maxRetries", "maxAttempts");

    private final Map<NodePath, Located> positions = new java.util.HashMap<>();

    /** A tree with the positions of its nodes. */
    record Merged(ObjectNode root, Map<NodePath, Located> positions) {}

    /** Folds the chain, base-most first; the {@code extends} key does not survive. */
    static Merged merge(List<SourceDoc> baseFirst) {
        PlanMerger m = new PlanMerger();
        SourceDoc first = baseFirst.get(0);
        ObjectNode acc = (ObjectNode) m.copy(first, first.root(), NodePath.ROOT, NodePath.ROOT);
        for (SourceDoc doc : baseFirst.subList(1, baseFirst.size())) {
            acc = (ObjectNode) m.merge(acc, doc, doc.root(), NodePath.ROOT, NodePath.ROOT);
        }
        acc.remove("extends");
        m.positions.keySet().removeIf(p -> p.startsWith(NodePath.of("extends")));
        return new Merged(acc, m.positions);
    }

    private JsonNode copy(SourceDoc doc, JsonNode node, NodePath from, NodePath to) {
        for (Map.Entry<NodePath, Located> e : doc.positions().entrySet()) {
            if (e.getKey().startsWith(from)) {
                positions.put(e.getKey().rebase(from, to), e.getValue());
            }
        }
        return node.deepCopy();
    }

    /** Merges {@code child} (at {@code from} in {@code doc}) over {@code base}, already at {@code at}. */
    private JsonNode merge(JsonNode base, SourceDoc doc, JsonNode child, NodePath from, NodePath at) {
        if (at.equals(PHASES) && base.isArray() && child.isArray()) {
            return mergePhases((ArrayNode) base, doc, (ArrayNode) child);
        }
        if (!(base instanceof ObjectNode b) || !(child instanceof ObjectNode c)) {
            positions.keySet().removeIf(p -> p.startsWith(at));
            return copy(doc, child, from, at);
        }
        ObjectNode out = b.deepCopy();
        Located self = doc.positions().get(from);
        if (self != null) {
            positions.put(at, self);
        }
        for (String key : c.propertyNames()) {
            JsonNode cv = c.get(key);
            String other = ALTERNATIVES.get(key);
            if (other != null && isRetryPolicy(at) && !c.has(other) && out.has(other)) {
                // a plan that gives maxRetries replaces its base's maxAttempts, and the other way round
                out.remove(other);
                positions.keySet().removeIf(p -> p.startsWith(at.child(other)));
            }
            if (out.has(key)) {
                out.set(key, merge(out.get(key), doc, cv, from.child(key), at.child(key)));
            } else {
                out.set(key, copy(doc, cv, from.child(key), at.child(key)));
            }
        }
        return out;
    }

    private JsonNode mergePhases(ArrayNode base, SourceDoc doc, ArrayNode child) {
        // Remember where each base phase's positions live before indices move.
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        Map<String, Integer> baseIndex = new LinkedHashMap<>();
        Map<String, Map<NodePath, Located>> posByName = new LinkedHashMap<>();
        for (int i = 0; i < base.size(); i++) {
            String name = nameOf(base.get(i), i);
            byName.put(name, base.get(i));
            baseIndex.put(name, i);
            posByName.put(name, slice(PHASES.child(i)));
        }
        positions.keySet().removeIf(p -> p.startsWith(PHASES) && !p.equals(PHASES));
        List<String> fromChild = new ArrayList<>();
        Map<String, Integer> childIndex = new LinkedHashMap<>();
        for (int i = 0; i < child.size(); i++) {
            String name = nameOf(child.get(i), i);
            childIndex.put(name, i);
            fromChild.add(name);
        }
        List<String> order = new ArrayList<>(byName.keySet());
        for (String n : fromChild) {
            if (!order.contains(n)) {
                order.add(n);
            }
        }
        order.sort(Comparator.comparingInt(PlanMerger::lifecycleRank));
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (String name : order) {
            NodePath at = PHASES.child(out.size());
            Integer ci = childIndex.get(name);
            if (byName.containsKey(name)) {
                NodePath was = PHASES.child(baseIndex.get(name));
                posByName.get(name).forEach((p, l) -> positions.put(p.rebase(was, at), l));
                JsonNode merged = ci == null ? byName.get(name)
                        : merge(byName.get(name), doc, child.get(ci), PHASES.child(ci), at);
                out.add(merged.deepCopy());
            } else {
                out.add(copy(doc, child.get(ci), PHASES.child(ci), at));
            }
        }
        Located arrayPos = doc.positions().get(PHASES);
        if (arrayPos != null) {
            positions.put(PHASES, arrayPos);
        }
        return out;
    }

    private static boolean isRetryPolicy(NodePath p) {
        List<Object> s = p.segments();
        return !s.isEmpty() && "retry".equals(s.get(0))
                && ((s.size() == 2 && "default".equals(s.get(1))) || (s.size() == 3 && "phases".equals(s.get(1))));
    }

    private Map<NodePath, Located> slice(NodePath prefix) {
        Map<NodePath, Located> out = new LinkedHashMap<>();
        positions.forEach((p, l) -> {
            if (p.startsWith(prefix)) {
                out.put(p, l);
            }
        });
        return out;
    }

    private static String nameOf(JsonNode phase, int index) {
        JsonNode n = phase.get("name");
        return n != null && n.isString() ? n.asString() : "#" + index;
    }

    private static int lifecycleRank(String name) {
        return PhaseName.isKnown(name) ? PhaseName.of(name).ordinal() : PhaseName.values().length;
    }
}

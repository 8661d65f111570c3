package dev.dr.docs;

import dev.dr.plan.model.PhaseName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Where the shipped plans use each step: the phase, the file, and the step's line written in
 * YAML flow style, so the examples of the step reference are the plans' own lines.
 */
final class StepUses {

    /** One use of a step in a plan file. */
    record Use(String file, String phase, int order, String line) {}

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./@][A-Za-z0-9_./@*-]*");

    private final List<Use> uses = new ArrayList<>();

    /** @param file the plan as the page names it; {@code root} its YAML */
    void add(String file, JsonNode root) {
        for (JsonNode phase : root.path("phases")) {
            String name = phase.path("name").asString("");
            int order = PhaseName.isKnown(name) ? PhaseName.of(name).ordinal() : PhaseName.values().length;
            for (JsonNode step : phase.path("steps")) {
                uses.add(new Use(file, name, order, "- " + flow(step)));
            }
        }
    }

    /** The uses of a step, in the order the files were added. */
    List<Use> of(String step) {
        return uses.stream().filter(u -> u.line().startsWith("- {uses: " + step + ",") || u.line().equals("- {uses: " + step + "}"))
                .toList();
    }

    /**
     * The steps in the order a drill meets them: those of plans/ by phase in lifecycle order,
     * then as listed; then those only the examples use, in the same way.
     */
    List<String> lifecycleOrder() {
        List<String> out = new ArrayList<>();
        for (boolean shipped : new boolean[] {true, false}) {
            List<Use> sorted = new ArrayList<>(uses.stream().filter(u -> isShipped(u) == shipped).toList());
            sorted.sort(Comparator.comparingInt(Use::order)); // stable: keeps the files' order within a phase
            for (Use u : sorted) {
                String name = u.line().substring("- {uses: ".length()).split("[,}]", 2)[0];
                if (!out.contains(name)) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    /** A use in the operator's plans (plans/), rather than in an example. */
    static boolean isShipped(Use u) {
        return u.file().startsWith("plans/");
    }

    static String flow(JsonNode n) {
        if (n.isObject()) {
            StringBuilder b = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                b.append(first ? "" : ", ").append(scalar(e.getKey())).append(": ").append(flow(e.getValue()));
                first = false;
            }
            return b.append('}').toString();
        }
        if (n.isArray()) {
            List<String> items = new ArrayList<>();
            n.forEach(i -> items.add(flow(i)));
            return "[" + String.join(", ", items) + "]";
        }
        return n.isString() ? scalar(n.asString()) : n.toString();
    }

    /** A plain scalar when YAML reads it back as the same string, else a double-quoted one. */
    private static String scalar(String s) {
        boolean plain = PLAIN.matcher(s).matches() && !s.matches("(?i)true|false|null|~|yes|no|on|off")
                && !s.matches("[-+]?[0-9.][0-9._]*(e[-+]?[0-9]+)?");
        return plain ? s : dev.dr.json.JsonTrees.compact(tools.jackson.databind.node.JsonNodeFactory.instance.stringNode(s));
    }
}

package dev.dr.compare.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One change of a plan-change document in words, for the text and Markdown renderings: what
 * changed, its old and new value as shown to people, and the consequences below it.
 *
 * @param change  added, removed, changed or reordered
 * @param loud    a change of where the drill runs
 * @param subject what changed: run.stopAfter, promote: decision, restore / k8s.apply: with.path
 * @param before  the old value in words, empty when there is none
 * @param after   the new value in words, empty when there is none
 */
record Line(String change, boolean loud, String subject, String before, String after, List<String> details) {

    static final Map<String, String> TITLES = Map.of(
            "target", "Target (where the drill runs)", "plan", "Plan", "inputs", "Inputs", "run", "Run settings",
            "sizing", "Sizing", "variables", "Unset variables", "phases", "Phases", "steps", "Steps", "guards", "Guards");

    Line {
        details = List.copyOf(details);
    }

    static Line of(JsonNode c) {
        String section = c.get("section").asString();
        String change = c.get("change").asString();
        String field = c.get("field").asString();
        JsonNode before = c.get("before");
        JsonNode after = c.get("after");
        List<String> details = new ArrayList<>();
        String detail = c.get("detail").asString();
        String subject;
        String b;
        String a;
        switch (section) {
            case "variables" -> {
                subject = "unset variable " + (after.isNull() ? before : after).asString();
                b = "";
                a = "";
            }
            case "phases" -> {
                subject = c.get("phase").asString() + (field.isEmpty() || field.equals("decision") ? "" : ": " + field);
                b = field.isEmpty() && !before.isNull() ? "phase removed, was " + decision(before.asString()) : plainOrValue(field, before);
                a = field.isEmpty() && !after.isNull() ? "new phase, " + decision(after.asString()) : plainOrValue(field, after);
            }
            case "steps" -> {
                subject = c.get("phase").asString() + " / " + (c.get("step").isNull() ? "steps" : c.get("step").asString())
                        + (field.isEmpty() ? "" : ": " + field);
                if (field.isEmpty()) {
                    JsonNode step = after.isNull() ? before : after;
                    b = before.isNull() ? "" : "removed (uses " + step.get("uses").asString() + ")";
                    a = after.isNull() ? "" : "added " + detail + " (uses " + step.get("uses").asString() + ")";
                    step.get("with").properties().forEach(e -> details.add("with." + e.getKey() + " = " + value(e.getValue())));
                    step.get("changes").forEach(r -> details.add(would(r.asString())));
                    detail = "";
                } else if (field.equals("changes")) {
                    subject = c.get("phase").asString() + " / " + c.get("step").asString() + ": what it would change";
                    b = "";
                    a = "";
                    java.util.Set<String> was = strings(before);
                    java.util.Set<String> now = strings(after);
                    was.stream().filter(r -> !now.contains(r)).forEach(r -> details.add("- " + r));
                    now.stream().filter(r -> !was.contains(r)).forEach(r -> details.add("+ " + r));
                } else if (field.equals("order")) {
                    subject = c.get("phase").asString() + ": step order";
                    b = plainOrValue(field, before);
                    a = plainOrValue(field, after);
                } else {
                    b = plainOrValue(field, before);
                    a = plainOrValue(field, after);
                }
            }
            case "guards" -> {
                subject = "guard " + c.get("guard").asString() + (field.isEmpty() ? "" : ": " + field);
                b = before.isObject() ? guard(before) : plainOrValue(field, before);
                a = after.isObject() ? guard(after) : plainOrValue(field, after);
            }
            case "plan" -> {
                subject = field.isEmpty() ? "plan" : field;
                b = field.isEmpty() ? (before.isNull() ? "" : "removed: " + before.asString()) : value(before);
                a = field.isEmpty() ? (after.isNull() ? "" : "new plan " + value(after)) : value(after);
            }
            default -> {
                subject = field;
                b = value(before);
                a = value(after);
            }
        }
        if (!detail.isEmpty()) {
            details.add(0, detail);
        }
        return new Line(change, c.get("loud").asBoolean(), subject, b, a, details);
    }

    /** The same line safe inside a Markdown code block: a value cannot close the block. */
    Line fenced() {
        java.util.function.UnaryOperator<String> f = x -> x.replace("```", "'''");
        return new Line(change, loud, f.apply(subject), f.apply(before), f.apply(after),
                details.stream().map(f).toList());
    }

    /** The line as dr diff prints it: + added, - removed, ~ changed, ! a changed target. */
    String text() {
        if (before.isEmpty() && after.isEmpty() && change.equals("changed")) {
            return "~ " + subject;
        }
        return switch (change) {
            case "added" -> "+ " + subject + (after.isEmpty() ? "" : ": " + after);
            case "removed" -> "- " + subject + (before.isEmpty() ? "" : ": " + before);
            default -> (loud ? "! " : "~ ") + subject + ": " + before + " -> " + after;
        };
    }

    private static String guard(JsonNode g) {
        return g.get("verdict").asString() + ", " + g.get("check").asString() + " (" + g.get("detail").asString() + ")";
    }

    /** "create Job a/b" as "would create Job a/b"; what live state decides as "may change X (known after apply)". */
    private static String would(String resource) {
        return resource.startsWith("unknown ") ? "may change " + resource.substring(8) + " (known after apply)"
                : "would " + resource;
    }

    private static java.util.Set<String> strings(JsonNode arr) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        arr.forEach(r -> out.add(r.asString()));
        return out;
    }

    /** Decisions and step order read better unquoted. */
    private static String plainOrValue(String field, JsonNode v) {
        if (field.equals("decision") || field.isEmpty() && v.isString()) {
            return v.isNull() ? "" : decision(v.asString());
        }
        if (field.equals("order") && v.isArray()) {
            List<String> names = new ArrayList<>();
            v.forEach(n -> names.add(n.asString()));
            return String.join(", ", names);
        }
        return value(v);
    }

    /** "skip: after-stop-after" as "skip (after-stop-after)". */
    static String decision(String d) {
        return d.startsWith("skip: ") ? "skip (" + d.substring(6) + ")" : d;
    }

    static String value(JsonNode v) {
        if (v == null || v.isNull()) {
            return "(not set)";
        }
        if (v.isString()) {
            String s = v.asString();
            return s.startsWith("(") && s.endsWith(")") ? s : "\"" + s + "\"";
        }
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(i -> items.add(value(i)));
            return "[" + String.join(", ", items) + "]";
        }
        return v.toString();
    }
}

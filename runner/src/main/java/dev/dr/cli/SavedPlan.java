package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitException;
import dev.dr.diff.PlanDiff;
import dev.dr.diff.PlanDiffJson;
import dev.dr.diff.PlanDiffReader;
import dev.dr.json.JsonTrees;
import dev.dr.plan.load.Overrides;
import dev.dr.render.JsonRenderer;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code dr plan --out} saves and {@code dr apply} applies: the plan file, the
 * command-line overrides it was previewed with, and the plan-diff with its planDigest. Apply
 * computes the diff again and refuses when the digest differs: the plan, its bases, the
 * environment it reads or (later) live state changed since the preview.
 */
record SavedPlan(String file, Overrides overrides, String planDigest, PlanDiff diff) {

    static final String MARKER = "drSavedPlan";

    SavedPlan {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(planDigest, "planDigest");
        Objects.requireNonNull(diff, "diff");
    }

    /**
     * The saved plan {@code file} holds, or null when it is a plan (or no file: loading the plan
     * says so). A saved plan that cannot be read ends the command, naming the file and the field.
     */
    static SavedPlan in(Context ctx, String file) throws java.io.IOException {
        java.nio.file.Path p = ctx.resolve(file);
        if (!file.endsWith(".json") || !java.nio.file.Files.isRegularFile(p)) {
            return null;
        }
        String text = java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
        if (!looksLikeOne(text)) {
            return null;
        }
        try {
            return parse(text, file);
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            throw ExitException.invalidInput(e.getMessage() + "; save it again with dr plan --out. Nothing was run.");
        }
    }

    static boolean looksLikeOne(String text) {
        String t = text.stripLeading();
        return t.startsWith("{") && t.contains("\"" + MARKER + "\"");
    }

    String toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put(MARKER, 1);
        n.put("file", file);
        ObjectNode o = n.putObject("overrides");
        o.put("startAt", overrides.startAt());
        o.put("stopAfter", overrides.stopAfter());
        o.put("validateOnly", overrides.validateOnly());
        o.put("teardown", overrides.teardown());
        o.put("autoPromote", overrides.autoPromote());
        o.put("allowPromoteBypass", overrides.allowPromoteBypass());
        o.put("allowFullDrill", overrides.allowFullDrill());
        o.put("allowFullDrillFrom", overrides.allowFullDrillFrom());
        o.put("receiptDir", overrides.receiptDir());
        o.put("fromReceipt", overrides.fromReceipt());
        o.put("maxAttempts", overrides.maxAttempts());
        o.put("noRetry", overrides.noRetry());
        ObjectNode inputs = o.putObject("inputs");
        overrides.inputs().forEach((name, given) -> inputs.putObject(name).put("value", given.value()).put("flag", given.flag()));
        if (overrides.namespace() != null) {
            o.put("namespace", overrides.namespace());
        }
        n.put("planDigest", planDigest);
        n.set("diff", PlanDiffJson.toJson(diff));
        return new JsonRenderer().render(n);
    }

    /** @param source the saved plan's file, as messages name it */
    static SavedPlan parse(String json, String source) {
        JsonNode n = JsonTrees.read(json);
        if (n.path(MARKER).asInt(0) != 1) {
            throw new IllegalArgumentException(source + " is not a plan saved by dr plan --out (format 1)");
        }
        JsonNode o = n.path("overrides");
        Overrides overrides = new Overrides(text(o, "startAt"), text(o, "stopAfter"), bool(o, "validateOnly"),
                bool(o, "teardown"), bool(o, "autoPromote"), bool(o, "allowPromoteBypass"), bool(o, "allowFullDrill"),
                text(o, "allowFullDrillFrom"), text(o, "receiptDir"), text(o, "fromReceipt"),
                o.path("maxAttempts").isIntegralNumber() ? o.get("maxAttempts").asInt() : null,
                o.path("noRetry").asBoolean(false), inputs(o.path("inputs"), source), text(o, "namespace"));
        String file = required(n, "file", source, "the plan file");
        String planDigest = required(n, "planDigest", source, "the planDigest of the saved plan-diff");
        if (!n.has("diff")) {
            throw new IllegalArgumentException(source + ": diff is missing; expected the saved plan-diff");
        }
        PlanDiff diff = PlanDiffReader.read(n.get("diff"), source, "diff");
        if (!diff.planDigest().equals(planDigest)) {
            throw new IllegalArgumentException(source + ": planDigest is " + planDigest + " but diff.planDigest is "
                    + diff.planDigest() + "; expected the same (the file was changed after dr plan --out)");
        }
        return new SavedPlan(file, overrides, planDigest, diff);
    }

    private static java.util.Map<String, Overrides.GivenInput> inputs(JsonNode given, String source) {
        java.util.Map<String, Overrides.GivenInput> out = new java.util.TreeMap<>();
        for (String name : given.propertyNames()) {
            JsonNode g = given.get(name);
            if (!g.path("value").isString() || !g.path("flag").isString()) {
                throw new IllegalArgumentException(source + ": overrides.inputs." + name
                        + " needs value and flag as strings; expected the inputs given to dr plan --out");
            }
            out.put(name, new Overrides.GivenInput(g.get("value").asString(), g.get("flag").asString()));
        }
        return out;
    }

    private static String required(JsonNode n, String key, String source, String what) {
        if (!n.path(key).isString() || n.get(key).asString().isEmpty()) {
            throw new IllegalArgumentException(source + ": " + key + " is " + (n.has(key) ? "empty or not a string" : "missing")
                    + "; expected " + what);
        }
        return n.get(key).asString();
    }

    private static String text(JsonNode o, String k) {
        return o.path(k).isString() ? o.get(k).asString() : null;
    }

    private static Boolean bool(JsonNode o, String k) {
        return o.path(k).isBoolean() ? o.get(k).asBoolean() : null;
    }
}

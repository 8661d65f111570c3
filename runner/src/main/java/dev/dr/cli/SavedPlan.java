package dev.dr.cli;

import dev.dr.command.Context;
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
record SavedPlan(String file, Overrides overrides, String planDigest, JsonNode diff) {

    static final String MARKER = "drSavedPlan";

    SavedPlan {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(planDigest, "planDigest");
    }

    /** The saved plan {@code file} holds, or null when it is a plan (or no file: loading the plan says so). */
    static SavedPlan in(Context ctx, String file) throws java.io.IOException {
        java.nio.file.Path p = ctx.resolve(file);
        if (!file.endsWith(".json") || !java.nio.file.Files.isRegularFile(p)) {
            return null;
        }
        String text = java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
        return looksLikeOne(text) ? parse(text) : null;
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
        n.put("planDigest", planDigest);
        n.set("diff", diff);
        return new JsonRenderer().render(n);
    }

    static SavedPlan parse(String json) {
        JsonNode n = JsonTrees.read(json);
        if (n.path(MARKER).asInt(0) != 1) {
            throw new IllegalArgumentException("not a plan saved by dr plan --out (format 1)");
        }
        JsonNode o = n.path("overrides");
        Overrides overrides = new Overrides(text(o, "startAt"), text(o, "stopAfter"), bool(o, "validateOnly"),
                bool(o, "teardown"), bool(o, "autoPromote"), bool(o, "allowPromoteBypass"), bool(o, "allowFullDrill"),
                text(o, "allowFullDrillFrom"), text(o, "receiptDir"), text(o, "fromReceipt"),
                o.path("maxAttempts").isIntegralNumber() ? o.get("maxAttempts").asInt() : null,
                o.path("noRetry").asBoolean(false));
        return new SavedPlan(n.path("file").asString(), overrides, n.path("planDigest").asString(), n.path("diff"));
    }

    private static String text(JsonNode o, String k) {
        return o.path(k).isString() ? o.get(k).asString() : null;
    }

    private static Boolean bool(JsonNode o, String k) {
        return o.path(k).isBoolean() ? o.get(k).asBoolean() : null;
    }
}

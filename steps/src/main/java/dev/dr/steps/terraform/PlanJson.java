package dev.dr.steps.terraform;

import dev.dr.json.JsonTrees;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Reads terraform's JSON documents: {@code show -json <planfile>} (format 1.x) into the
 * changes a plan will make, and {@code output -json} into output values.
 *
 * <p>A plan document holds sensitive values in plain text, marked only by the parallel
 * {@code before_sensitive}/{@code after_sensitive} trees. Nothing here returns such a value
 * except in {@link TerraformPlan#secrets()}, which exists to mask them.
 */
public final class PlanJson {
    public static final String SENSITIVE = "(sensitive value)";
    static final String UNKNOWN = "(known after apply)";
    /** Longer values are cut in the log: a user_data script says nothing useful on one line. */
    static final int MAX_VALUE_CHARS = 60;

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private PlanJson() {}

    /** The changes of a saved plan; {@code json} is the output of {@code terraform show -json <planfile>}. */
    public static TerraformPlan parse(String json) {
        JsonNode root = JsonTrees.read(json);
        if (!root.isObject() || !root.has("format_version")) {
            throw new IllegalArgumentException("not a terraform plan document (no format_version)");
        }
        if (!root.get("format_version").asString().startsWith("1.")) {
            throw new IllegalArgumentException("terraform plan format " + root.get("format_version").asString()
                    + " is not supported; expected 1.x");
        }
        Set<String> secrets = secrets(root);
        // Values terraform does not mark can still hold a secret: terraform_data's output repeats
        // its input unmarked. Every rendered value is masked with everything marked anywhere.
        Masker masker = new Masker(secrets);
        List<ResourceChange> resources = new ArrayList<>();
        for (JsonNode rc : root.path("resource_changes")) {
            resources.addAll(resourceChanges(rc, masker));
        }
        // stable: a replacement's halves keep terraform's order
        resources.sort(Comparator.comparing(ResourceChange::address));

        List<OutputChange> outputs = new ArrayList<>();
        for (var e : root.path("output_changes").properties()) {
            outputs.add(new OutputChange(e.getKey(), action(e.getValue().path("actions")), sensitiveOutput(root, e.getKey())));
        }
        outputs.sort(Comparator.comparing(OutputChange::name));
        return new TerraformPlan(resources, outputs, secrets);
    }

    /** Every value the document marks sensitive: attributes, outputs, and variables declared sensitive. */
    private static Set<String> secrets(JsonNode root) {
        Set<String> secrets = new HashSet<>();
        for (JsonNode rc : root.path("resource_changes")) {
            JsonNode c = rc.path("change");
            collectSensitive(c.path("before"), c.path("before_sensitive"), secrets);
            collectSensitive(c.path("after"), c.path("after_sensitive"), secrets);
        }
        for (var e : root.path("output_changes").properties()) {
            if (sensitiveOutput(root, e.getKey())) {
                collect(e.getValue().path("before"), secrets);
                collect(e.getValue().path("after"), secrets);
            }
        }
        for (var e : root.path("planned_values").path("outputs").properties()) {
            if (e.getValue().path("sensitive").asBoolean(false)) {
                collect(e.getValue().path("value"), secrets);
            }
        }
        // A sensitive variable's value is in "variables", its sensitivity only in the configuration.
        for (var e : root.path("configuration").path("root_module").path("variables").properties()) {
            if (e.getValue().path("sensitive").asBoolean(false)) {
                collect(root.path("variables").path(e.getKey()).path("value"), secrets);
                collect(e.getValue().path("default"), secrets);
            }
        }
        return secrets;
    }

    private static boolean sensitiveOutput(JsonNode root, String name) {
        JsonNode c = root.path("output_changes").path(name);
        return c.path("before_sensitive").asBoolean(false) || c.path("after_sensitive").asBoolean(false)
                || root.path("planned_values").path("outputs").path(name).path("sensitive").asBoolean(false);
    }

    /** The root module's outputs; {@code json} is the output of {@code terraform output -json}. */
    public static List<OutputValue> outputs(String json) {
        JsonNode root = JsonTrees.read(json);
        if (!root.isObject()) {
            throw new IllegalArgumentException("terraform output -json: expected an object of outputs");
        }
        List<OutputValue> out = new ArrayList<>();
        for (var e : root.properties()) {
            JsonNode v = e.getValue().path("value");
            out.add(new OutputValue(e.getKey(), e.getValue().path("sensitive").asBoolean(false),
                    v.isMissingNode() ? NullNode.getInstance() : v));
        }
        out.sort(Comparator.comparing(OutputValue::name));
        return out;
    }

    private static List<ResourceChange> resourceChanges(JsonNode rc, Masker masker) {
        String address = rc.path("address").asString();
        JsonNode c = rc.path("change");
        List<String> actions = new ArrayList<>();
        c.path("actions").forEach(a -> actions.add(a.asString()));
        Optional<String> moved = rc.has("previous_address") && !rc.path("previous_address").asString().equals(address)
                ? Optional.of("moved from " + rc.path("previous_address").asString()) : Optional.empty();

        if (actions.equals(List.of("delete", "create")) || actions.equals(List.of("create", "delete"))) {
            List<AttributeChange> forcing = forcing(c, masker);
            String reason = replaceReason(rc.path("action_reason").asString(""));
            Optional<String> note = Optional.of(actions.get(0).equals("create") ? reason + ", new one first" : reason);
            return actions.stream().map(a -> new ResourceChange(address, a, forcing, note)).toList();
        }
        String action;
        Optional<String> note = moved;
        List<AttributeChange> attributes = List.of();
        if (actions.equals(List.of("no-op"))) {
            action = "unchanged";
        } else if (actions.equals(List.of("create")) || actions.equals(List.of("delete"))) {
            action = actions.get(0);
        } else if (actions.equals(List.of("update"))) {
            action = "update";
            attributes = diff(c, masker);
        } else if (actions.equals(List.of("read"))) {
            action = "unchanged";
            note = Optional.of("read during apply");
        } else if (actions.equals(List.of("forget"))) {
            // removed { lifecycle { destroy = false } }: terraform lets go of it, the object stays
            action = "delete";
            note = Optional.of("from the state only; the object is kept");
        } else {
            action = "unknown";
            note = Optional.of("terraform actions " + String.join(", ", actions));
        }
        return List.of(new ResourceChange(address, action, attributes, note));
    }

    /**
     * What forces a replacement: terraform's replace_paths when it gives them (the diff's entry
     * at or above each path, so a sensitive value stays masked), else every change.
     */
    private static List<AttributeChange> forcing(JsonNode c, Masker masker) {
        List<AttributeChange> all = diff(c, masker);
        if (!c.path("replace_paths").isArray() || c.path("replace_paths").isEmpty()) {
            return all;
        }
        Set<String> wanted = new TreeSet<>();
        for (JsonNode p : c.path("replace_paths")) {
            String path = "";
            for (JsonNode step : p) {
                if (!step.isString()) {
                    break; // an index into a list: the list is the attribute the diff names
                }
                path = join(path, step.asString());
            }
            wanted.add(path);
        }
        List<AttributeChange> out = new ArrayList<>();
        for (AttributeChange a : all) {
            if (wanted.stream().anyMatch(w -> w.equals(a.path()) || w.startsWith(a.path() + ".")
                    || w.startsWith(a.path() + "["))) {
                out.add(a);
            }
        }
        return out.isEmpty() ? all : out;
    }

    /** Why terraform replaces an object whose attributes alone do not say. */
    private static String replaceReason(String actionReason) {
        switch (actionReason) {
            case "replace_because_tainted":
                return "replace, tainted";
            case "replace_by_request":
                return "replace, as -replace asked";
            case "replace_by_triggers":
                return "replace, by replace_triggered_by";
            default:
                return "replace";
        }
    }

    private static String action(JsonNode actions) {
        List<String> a = new ArrayList<>();
        actions.forEach(x -> a.add(x.asString()));
        if (a.equals(List.of("no-op"))) {
            return "unchanged";
        }
        if (a.size() == 1 && List.of("create", "update", "delete").contains(a.get(0))) {
            return a.get(0);
        }
        return "unknown";
    }

    private static List<AttributeChange> diff(JsonNode c, Masker masker) {
        List<AttributeChange> out = new ArrayList<>();
        diff("", c.path("before"), c.path("after"), c.path("after_unknown"), c.path("before_sensitive"),
                c.path("after_sensitive"), masker, out);
        return out;
    }

    /**
     * The attributes that differ between before and after, descending into maps and objects (not
     * lists: a list is one attribute). A sensitive value is never descended into, so neither its
     * values nor its keys are shown.
     */
    private static void diff(String path, JsonNode before, JsonNode after, JsonNode unknown, JsonNode beforeSensitive,
                             JsonNode afterSensitive, Masker masker, List<AttributeChange> out) {
        boolean sensitive = beforeSensitive.asBoolean(false) || afterSensitive.asBoolean(false);
        if (unknown.asBoolean(false)) {
            out.add(new AttributeChange(path, render(before, beforeSensitive, masker), UNKNOWN));
            return;
        }
        if (!sensitive && before.isObject() && after.isObject()) {
            Set<String> keys = new TreeSet<>();
            before.properties().forEach(e -> keys.add(e.getKey()));
            after.properties().forEach(e -> keys.add(e.getKey()));
            unknown.properties().forEach(e -> keys.add(e.getKey()));
            for (String k : keys) {
                diff(join(path, k), before.path(k), after.path(k), unknown.path(k), beforeSensitive.path(k),
                        afterSensitive.path(k), masker, out);
            }
            return;
        }
        if (!same(before, after) || anyTrue(unknown)) {
            out.add(new AttributeChange(path, render(before, beforeSensitive, masker),
                    anyTrue(unknown) ? UNKNOWN : render(after, afterSensitive, masker)));
        }
    }

    private static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a.isMissingNode() || a.isNull();
        boolean bNull = b.isMissingNode() || b.isNull();
        return aNull || bNull ? aNull == bNull : a.equals(b);
    }

    /**
     * A value for the log: {@code (sensitive value)} when any part of it is marked sensitive,
     * known secrets masked where they turn up unmarked, cut when long (after masking, so no
     * cut-off secret escapes the mask).
     */
    static String render(JsonNode value, JsonNode sensitive, Masker masker) {
        if (anyTrue(sensitive)) {
            return SENSITIVE;
        }
        if (value.isMissingNode() || value.isNull()) {
            return "null";
        }
        String text = value.isString() ? '"' + masker.mask(value.asString()).replace("\n", "\\n") + '"'
                : masker.mask(JsonTrees.compact(value));
        if (text.length() > MAX_VALUE_CHARS) {
            return text.substring(0, MAX_VALUE_CHARS - 1) + "… (" + text.length() + " chars)";
        }
        return text;
    }

    /** True when the marker tree says anything in it: {@code true}, or a {@code true} somewhere inside. */
    static boolean anyTrue(JsonNode marker) {
        if (marker.isBoolean()) {
            return marker.asBoolean();
        }
        for (JsonNode c : marker) {
            if (anyTrue(c)) {
                return true;
            }
        }
        return false;
    }

    /** Every scalar of {@code value} that the parallel marker tree marks sensitive. */
    private static void collectSensitive(JsonNode value, JsonNode marker, Set<String> secrets) {
        if (marker.isBoolean()) {
            if (marker.asBoolean()) {
                collect(value, secrets);
            }
        } else if (marker.isObject() && value.isObject()) {
            marker.properties().forEach(e -> collectSensitive(value.path(e.getKey()), e.getValue(), secrets));
        } else if (marker.isArray() && value.isArray()) {
            for (int i = 0; i < marker.size(); i++) {
                collectSensitive(value.path(i), marker.get(i), secrets);
            }
        }
    }

    private static void collect(JsonNode value, Set<String> secrets) {
        if (value.isContainer()) {
            value.forEach(v -> collect(v, secrets));
        } else if (value.isString() || value.isNumber()) {
            // booleans are left out: masking every "true" in the log would hide nothing
            secrets.add(value.isString() ? value.asString() : value.toString());
        }
    }

    private static String join(String path, String key) {
        if (!PLAIN_KEY.matcher(key).matches()) {
            return path + "[\"" + key + "\"]";
        }
        return path.isEmpty() ? key : path + "." + key;
    }
}

package dev.dr.steps.k8s;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What an apply would change in a live object, as a preview says it: the fields the manifest
 * sets whose live value differs or is missing, and the fields an earlier apply set that the
 * manifest no longer sets (which the apply removes). Fields the manifest does not set are not
 * compared, so the API server's defaults and other clients' fields never show as changes.
 * Keyed lists ({@link MergeKeys}) compare item by item, e.g.
 * {@code spec.template.spec.containers[name=web].image}; an atomic list differs when its length
 * differs or an item differs in a field the manifest sets.
 */
final class FieldDiff {
    private FieldDiff() {}

    /** Fields the API server owns; a manifest that sets them does not make an object differ. */
    static final Set<String> SERVER_FIELDS = Set.of("metadata.resourceVersion", "metadata.uid", "metadata.creationTimestamp",
            "metadata.generation", "metadata.managedFields", "metadata.namespace", "status",
            "metadata.annotations." + Applier.LAST_APPLIED);

    /** Paths of the manifest's fields that differ from the live object's, sorted. */
    static Set<String> changed(JsonNode manifest, JsonNode live) {
        Set<String> out = new TreeSet<>();
        changed(manifest, live, "", "", "", out);
        return out;
    }

    /** Paths of the fields {@code previous} (what was applied before) has and the manifest does not, sorted. */
    static Set<String> removed(JsonNode previous, JsonNode manifest) {
        Set<String> out = new TreeSet<>();
        if (previous != null) {
            removed(previous, manifest, "", "", "", out);
        }
        return out;
    }

    private static void changed(JsonNode want, JsonNode have, String path, String field, String enclosing, Set<String> out) {
        if (SERVER_FIELDS.contains(path) || want.isNull()) {
            return;
        }
        if (want.isObject()) {
            boolean absent = have == null || !have.isObject();
            if (absent && !want.isEmpty() && !MergeKeys.keyByKey(field, want)) {
                out.add(path); // named once, not field by field
                return;
            }
            for (var e : want.properties()) {
                changed(e.getValue(), have == null ? null : have.get(e.getKey()), join(path, e.getKey()), e.getKey(), enclosing, out);
            }
            return;
        }
        if (want.isArray()) {
            String key = MergeKeys.usable(want, field, enclosing);
            if (key != null && have != null && have.isArray()) {
                for (JsonNode item : want) {
                    String p = MergeKeys.label(path, key, item.path(key));
                    JsonNode live = MergeKeys.find(have, key, item.path(key));
                    if (live == null) {
                        out.add(p);
                    } else {
                        changed(item, live, p, "", field, out);
                    }
                }
            } else if (!sameList(want, have, field, enclosing)) {
                out.add(path);
            }
            return;
        }
        if (have == null || !sameScalar(want, have, field, path)) {
            out.add(path);
        }
    }

    /** An atomic list: same length, and each item holds what the manifest's item at its place sets. */
    private static boolean sameList(JsonNode want, JsonNode have, String field, String enclosing) {
        if (have == null || !have.isArray() || have.size() != want.size()) {
            return false;
        }
        Set<String> differ = new TreeSet<>();
        for (int i = 0; i < want.size(); i++) {
            changed(want.get(i), have.get(i), "[" + i + "]", field, enclosing, differ);
        }
        return differ.isEmpty();
    }

    /** Equal values; resource quantities compare by amount (the server may write 0.5 back as 500m). */
    private static boolean sameScalar(JsonNode want, JsonNode have, String field, String path) {
        if (want.equals(have) || (want.isNumber() && have.isNumber() && want.decimalValue().compareTo(have.decimalValue()) == 0)) {
            return true;
        }
        if ((path.contains(".limits.") || path.contains(".requests.")) && (want.isValueNode() && have.isValueNode())) {
            try {
                return Quantity.getAmountInBytes(new Quantity(want.asString()))
                        .compareTo(Quantity.getAmountInBytes(new Quantity(have.asString()))) == 0;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    private static void removed(JsonNode before, JsonNode want, String path, String field, String enclosing, Set<String> out) {
        if (SERVER_FIELDS.contains(path)) {
            return;
        }
        if (before.isObject()) {
            for (var e : before.properties()) {
                String p = join(path, e.getKey());
                JsonNode w = want == null || !want.isObject() ? null : want.get(e.getKey());
                if (SERVER_FIELDS.contains(p)) {
                    continue;
                }
                if ((w == null || w.isNull()) && !MergeKeys.keyByKey(e.getKey(), e.getValue())) {
                    out.add(p);
                } else {
                    removed(e.getValue(), w, p, e.getKey(), enclosing, out);
                }
            }
            return;
        }
        String key = before.isArray() ? MergeKeys.usable(before, field, enclosing) : null;
        if (key != null && want != null && MergeKeys.usable(want, field, enclosing) != null) {
            for (JsonNode item : before) {
                String p = MergeKeys.label(path, key, item.path(key));
                JsonNode w = MergeKeys.find(want, key, item.path(key));
                if (w == null) {
                    out.add(p);
                } else {
                    removed(item, w, p, "", field, out);
                }
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}

package dev.dr.steps.k8s;

import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The lists of the Kubernetes API whose items are matched by a key rather than by position when
 * objects are merged or compared: the patchMergeKey of Kubernetes' strategic merge patch (and
 * the list-map keys of server-side apply). Any other list is atomic: set as a whole.
 */
final class MergeKeys {
    private MergeKeys() {}

    private static final Set<String> CONTAINER_LISTS = Set.of("containers", "initContainers", "ephemeralContainers");

    /**
     * The merge key of list {@code field}; {@code enclosingList} is the nearest list above it
     * ("containers" for a container's ports), or "" at the top. Null when the list is atomic.
     */
    static String of(String field, String enclosingList) {
        return switch (field) {
            case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets",
                    "resourceClaims", "schedulingGates", "secrets" -> "name";
            case "volumeMounts" -> "mountPath";
            case "volumeDevices" -> "devicePath";
            // A container's ports are keyed by containerPort; a Service's (and others') by port.
            case "ports" -> CONTAINER_LISTS.contains(enclosingList) ? "containerPort" : "port";
            case "hostAliases" -> "ip";
            case "topologySpreadConstraints" -> "topologyKey";
            case "ownerReferences" -> "uid";
            case "conditions" -> "type";
            default -> null;
        };
    }

    /**
     * Maps whose keys are owned one by one (labels, annotations, a ConfigMap's data): when the
     * manifest drops the whole map, what goes is the keys it applied, not the others' keys.
     * Metadata is never dropped whole either.
     */
    private static final Set<String> KEY_BY_KEY = Set.of("metadata", "labels", "annotations", "data", "binaryData",
            "stringData", "nodeSelector", "matchLabels");

    static boolean keyByKey(String field, JsonNode value) {
        return KEY_BY_KEY.contains(field) && value.isObject();
    }

    /** The key of {@code list} when every item is an object that has it; else null (treated as atomic). */
    static String usable(JsonNode list, String field, String enclosingList) {
        String key = of(field, enclosingList);
        if (key == null || !list.isArray()) {
            return null;
        }
        for (JsonNode item : list) {
            if (!item.isObject() || item.path(key).isMissingNode() || item.path(key).isNull()) {
                return null;
            }
        }
        return key;
    }

    /** The item of {@code list} whose {@code key} equals {@code value}'s, or null. */
    static JsonNode find(JsonNode list, String key, JsonNode value) {
        if (list == null || !list.isArray()) {
            return null;
        }
        for (JsonNode item : list) {
            if (sameKey(item.path(key), value)) {
                return item;
            }
        }
        return null;
    }

    /** Keys compare by text, so that 8080 and "8080" (or an int and a long) are the same port. */
    static boolean sameKey(JsonNode a, JsonNode b) {
        return !a.isMissingNode() && !a.isNull() && a.asString("").equals(b.asString(""));
    }

    /** How a path shows a keyed item, e.g. {@code containers[name=web]}. */
    static String label(String path, String key, JsonNode value) {
        return path + "[" + key + "=" + value.asString("") + "]";
    }
}

package dev.dr.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields of an object (or of a merge patch of one) that its kind's schema does not have, named
 * as the API server's strict decoding names them ("spec.template.spec.containers[0].imagePullPolicyX").
 * With {@code drop} they are also taken out, as the API server drops them when it only warns.
 */
final class UnknownFields {
    private final KubeOpenApi api;
    private final boolean patch;
    private final boolean drop;
    private final List<String> found = new ArrayList<>();

    private UnknownFields(KubeOpenApi api, boolean patch, boolean drop) {
        this.api = api;
        this.patch = patch;
        this.drop = drop;
    }

    /**
     * The unknown fields of {@code value} under {@code schema}. A patch may hold the directives of
     * a strategic merge patch ($patch, $setElementOrder/..., $retainKeys, ...), which are no fields.
     */
    static List<String> find(KubeOpenApi api, JsonNode schema, JsonNode value, boolean patch, boolean drop) {
        UnknownFields u = new UnknownFields(api, patch, drop);
        u.walk(schema, value, "");
        return u.found;
    }

    private void walk(JsonNode schemaRef, JsonNode value, String path) {
        JsonNode schema = api.resolve(schemaRef);
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            List<String> unknown = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String name = field.getKey();
                String at = path.isEmpty() ? name : path + "." + name;
                if (patch && name.startsWith("$")) {
                    continue;
                }
                if (properties != null && properties.has(name)) {
                    walk(properties.get(name), field.getValue(), at);
                } else if (additional != null && additional.isObject()) {
                    walk(additional, field.getValue(), at);
                } else if (properties != null || (additional != null && !additional.asBoolean(true))) {
                    unknown.add(name);
                    found.add(at);
                }
            }
            if (drop) {
                unknown.forEach(object::remove);
            }
        } else if (value != null && value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                walk(schema.get("items"), value.get(i), path + "[" + i + "]");
            }
        }
    }
}

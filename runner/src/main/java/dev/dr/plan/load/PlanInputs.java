package dev.dr.plan.load;

import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The plan language's inputs ({@code inputs.*}) and their JSON types, as the plan schema
 * declares them: what {@code --set NAME=VALUE} may name, and how its text becomes a value.
 */
public final class PlanInputs {
    private PlanInputs() {}

    /** Input name to type ("string", "boolean") in the plan schema {@code schema}, sorted by name. */
    public static Map<String, String> types(JsonNode schema) {
        JsonNode props = schema.path("properties").path("inputs").path("properties");
        Map<String, String> out = new TreeMap<>();
        for (String name : props.propertyNames()) {
            out.put(name, props.get(name).path("type").asString("string"));
        }
        return out;
    }
}

package dev.dr.catalog;

import dev.dr.step.StepInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plan schema with every known step's settings schema folded in: a step whose
 * {@code uses} names step X must have {@code with} valid against X's schema. Editors and
 * schema checkers then see what {@code dr} checks itself.
 */
public final class SchemaFolding {
    private SchemaFolding() {}

    public static ObjectNode fold(JsonNode planSchema, StepCatalog steps) {
        ObjectNode out = (ObjectNode) planSchema.deepCopy();
        ObjectNode step = (ObjectNode) out.get("$defs").get("step");
        ArrayNode all = step.putArray("allOf");
        for (StepInfo s : steps.all()) {
            ObjectNode rule = all.addObject();
            ObjectNode cond = rule.putObject("if");
            cond.putArray("required").add("uses");
            cond.putObject("properties").putObject("uses").put("const", s.name());
            ObjectNode with = (ObjectNode) s.withSchema().deepCopy();
            if (!with.has("description")) {
                with.put("description", "Settings of " + s.name() + ": " + s.description());
            }
            rule.putObject("then").putObject("properties").set("with", with);
        }
        ((ObjectNode) step.get("properties").get("uses")).put("description",
                step.get("properties").get("uses").get("description").asString()
                        + " Known steps: " + String.join(", ", steps.names()) + ".");
        return out;
    }
}

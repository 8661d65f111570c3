package dev.dr.steps.terraform;

import dev.dr.json.JsonTrees;
import tools.jackson.databind.JsonNode;

/**
 * A root-module output after apply, from {@code terraform output -json}.
 *
 * @param value the value as terraform gives it; for a sensitive output, a secret
 */
public record OutputValue(String name, boolean sensitive, JsonNode value) {

    /** A string as it is; anything else (numbers, lists, maps) as compact JSON. */
    public String text() {
        return value.isString() ? value.asString() : JsonTrees.compact(value);
    }

    /** Never the value of a sensitive output, so that no log or exception message can carry it. */
    @Override
    public String toString() {
        return "OutputValue[" + name + (sensitive ? ", (sensitive value)]" : ", " + text() + "]");
    }
}

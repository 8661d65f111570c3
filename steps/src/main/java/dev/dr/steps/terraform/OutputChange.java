package dev.dr.steps.terraform;

import dev.dr.step.Change;

/**
 * A root-module output a saved plan sets, changes or removes. Only its name is kept: the value
 * of a sensitive output must not reach a preview, and the receipt takes values after apply.
 */
public record OutputChange(String name, String action, boolean sensitive) {

    public Change toChange() {
        return new Change(action, "terraform output " + name + (sensitive ? " (sensitive)" : ""));
    }
}

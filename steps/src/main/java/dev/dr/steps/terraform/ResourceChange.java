package dev.dr.steps.terraform;

import dev.dr.step.Change;
import java.util.List;
import java.util.Optional;

/**
 * One resource of a saved plan, as the preview and the step log show it. A replacement is two
 * of these for the same address, a delete and a create, in the order terraform runs them: the
 * plan-diff's actions have no "replace", and "update" would hide that the object (and its id,
 * disk, address) is lost.
 *
 * @param address    terraform's address, e.g. {@code aws_instance.runner} or {@code module.k3s.aws_eip.this[0]}
 * @param action     create, update, delete or unchanged (a {@link Change} action); unknown for an action
 *                   this release does not know
 * @param attributes for an update, what changes; for a replacement, what forces it
 * @param note       why, where the action alone does not say (a replacement, a move, a read)
 */
public record ResourceChange(String address, String action, List<AttributeChange> attributes, Optional<String> note) {

    public ResourceChange {
        attributes = List.copyOf(attributes);
    }

    /** The attribute names, without values: what the preview may show of a change. */
    public List<String> attributeNames() {
        return attributes.stream().map(AttributeChange::path).toList();
    }

    /** {@code terraform <address> (<note>: <attributes>)} as a plan-diff change. */
    public Change toChange() {
        String names = String.join(", ", attributeNames());
        String detail = note.map(n -> names.isEmpty() ? n : n + ": " + names).orElse(names);
        return new Change(action, "terraform " + address + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }
}

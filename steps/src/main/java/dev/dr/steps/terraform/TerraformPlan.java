package dev.dr.steps.terraform;

import dev.dr.step.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a saved plan will do, read from {@code terraform show -json}.
 *
 * @param resources every resource change, sorted by address (a replacement's two halves in
 *                  terraform's order)
 * @param outputs   outputs the plan creates, changes or removes, sorted by name
 * @param secrets   the values terraform marks sensitive (variables, attributes, outputs), for
 *                  masking the command output that goes to the log; never shown
 */
public record TerraformPlan(List<ResourceChange> resources, List<OutputChange> outputs, Set<String> secrets) {

    public TerraformPlan {
        resources = List.copyOf(resources);
        outputs = List.copyOf(outputs);
        secrets = Set.copyOf(secrets);
    }

    /** The plan-diff's changes: resources by address, then the outputs that change. */
    public List<Change> changes() {
        List<Change> out = new ArrayList<>();
        resources.forEach(r -> out.add(r.toChange()));
        outputs.stream().filter(o -> !o.action().equals("unchanged")).forEach(o -> out.add(o.toChange()));
        return out;
    }

    /** How many resources the apply creates, updates and deletes (a replacement counts once each way, as terraform counts it). */
    public long count(String action) {
        return resources.stream().filter(r -> r.action().equals(action)).count();
    }

    /** {@code 2 to create, 1 to update, 1 to delete, 3 unchanged}, as terraform's "Plan:" line. */
    public String summary() {
        String s = count("create") + " to create, " + count("update") + " to update, " + count("delete") + " to delete, "
                + count("unchanged") + " unchanged";
        long unknown = count("unknown");
        return unknown == 0 ? s : s + ", " + unknown + " of an unknown action";
    }

    /** Never the secrets themselves. */
    @Override
    public String toString() {
        return "TerraformPlan[" + summary() + "]";
    }
}

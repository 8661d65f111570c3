package dev.dr.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ticket document for plan-diffs that no plan in plans/ gives: a refused guard, a gate
 * without a time limit, Markdown in plan values, no phase to run. Each starts from the golden
 * plan-diff of the full drill and changes one thing.
 */
class TicketRendererTest {

    static ObjectNode fullDrill() throws Exception {
        Path dir = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath();
        return (ObjectNode) JsonMapper.builder().build()
                .readTree(dir.resolve("app/src/test/resources/golden/full-drill.json").toFile());
    }

    /** The records of a changed golden document, read as a saved plan-diff is. */
    static dev.dr.diff.PlanDiff records(ObjectNode d) {
        return dev.dr.diff.PlanDiffReader.read(d, "full-drill.json", "");
    }

    static ObjectNode phase(ObjectNode d, String name) {
        for (var p : d.get("phases")) {
            if (p.get("name").asString().equals(name)) {
                return (ObjectNode) p;
            }
        }
        throw new AssertionError(name);
    }

    @Test
    void aRefusedGuardLeadsTheGuardCountAndIsMarked() throws Exception {
        ObjectNode d = fullDrill();
        ((ObjectNode) d.get("guards").get(1)).put("verdict", "refused");
        String md = new TicketRenderer("CHG-1").render(records(d));
        assertThat(md).contains("| Guards | **1 refused**, 1 not-checked-yet, 5 at-apply, 1 ok |\n")
                .contains("| account | **refused** | STS caller identity account is 048622080012 (sts:GetCallerIdentity) |\n");
    }

    @Test
    void aGateWithoutATimeLimitMakesTheWorstCaseUnbounded() throws Exception {
        ObjectNode d = fullDrill();
        ObjectNode promote = phase(d, "promote");
        promote.put("decision", "run");
        promote.putNull("reason");
        promote.putObject("retry").put("maxAttempts", 1).put("worstCase", "unbounded").putArray("retryOn");
        ((ObjectNode) promote.get("retry")).putObject("backoff").put("initial", "0s").put("multiplier", 1).put("max", "0s");
        promote.put("timeout", "10m");
        promote.putObject("approval").put("mode", "dr-approve").put("ticketRequired", false).put("timeout", "none");
        promote.putArray("steps");
        ((ObjectNode) d.get("summary")).put("worstCase", "unbounded");
        String md = new TicketRenderer("CHG-1").render(records(d));
        assertThat(md)
                .contains("| Worst-case duration | **unbounded** |\n")
                .contains("| promote | 1 | 10m | none | no time limit | unbounded |\n")
                .contains("| **Total** | | | | | **unbounded** |\n\nUnbounded: a phase that runs has no timeout, or waits"
                        + " for an approval without a time limit.\n")
                .contains("- `promote` waits for an approval, without a time limit. The approver records it once with"
                        + " `dr approve RUN_ID --approver NAME` (a ticket may be given with `--ticket`);")
                .doesNotContain("Without an approval in time");
    }

    @Test
    void planValuesCannotBreakTheTablesOrInjectHtml() throws Exception {
        ObjectNode d = fullDrill();
        ((ObjectNode) d.get("plan")).put("description", "a | b <script>x</script>");
        ((ObjectNode) d.get("inputs")).put("imageRef", "repo`x|y");
        String md = new TicketRenderer("CHG-1").render(records(d));
        assertThat(md).contains("\na \\| b &lt;script&gt;x&lt;/script&gt;\n")
                .contains("| Image | `repo'x\\|y` |\n")
                .doesNotContain("<script>");
    }

    @Test
    void aPlanThatRunsNothingSaysSo() throws Exception {
        ObjectNode d = fullDrill();
        for (var p : d.get("phases")) {
            ObjectNode o = (ObjectNode) p;
            o.put("decision", "skip");
            o.putObject("reason").put("kind", "after-stop-after").put("detail", "the plan stops earlier");
            o.remove(java.util.List.of("retry", "steps", "approval", "timeout"));
        }
        String md = new TicketRenderer("CHG-1").render(records(d));
        assertThat(md).contains("| What will run | 0 phases; 5 skipped: bringup, restore, validate, promote, teardown |\n")
                .contains("\nNo phase runs.\n")
                .contains("- Not reached: `promote` is skipped (`after-stop-after`: the plan stops earlier).")
                .contains("- Teardown: not in this change (`after-stop-after`: the plan stops earlier).")
                .doesNotContain("| Phase | Step | Change | Resource |");
    }

    @Test
    void theTicketOfThePlanIsComparedWithTheDocumentsTitle() throws Exception {
        ObjectNode d = fullDrill();
        ((ObjectNode) d.get("plan")).put("ticket", "CHG-7");
        String md = new TicketRenderer("CHG-1").render(records(d));
        assertThat(md).contains("| Ticket in the plan | `CHG-7`, **not CHG-1** |\n")
                .contains("> **Ticket:** the plan names the ticket `CHG-7`.");
        ((ObjectNode) d.get("plan")).put("ticket", "CHG-1");
        assertThat(new TicketRenderer("CHG-1").render(records(d))).contains("| Ticket in the plan | `CHG-1`, the same |\n")
                .doesNotContain("> **Ticket:**");
    }
}

package dev.dr.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.diff.PlanDiff;
import dev.dr.diff.PlanDiffReader;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The text and Markdown renderings of plan-diffs that no plan in plans/ gives, from the records. */
class TextRendererTest {

    /** The full drill's golden plan-diff with the validate Job's requests left unset, as a plan may leave them. */
    static PlanDiff withoutRequests() throws Exception {
        ObjectNode d = TicketRendererTest.fullDrill();
        ObjectNode requests = (ObjectNode) d.get("sizing").get("validateJob").get("requests");
        requests.putNull("cpu");
        requests.putNull("memory");
        return PlanDiffReader.read(d, "full-drill.json", "");
    }

    @Test
    void anUnsetQuantityIsShownEmpty() throws Exception {
        PlanDiff d = withoutRequests();
        assertThat(d.sizing().validateJob().requests().cpu()).isNull();
        assertThat(new TextRenderer(Style.PLAIN).render(d))
                .contains("  sizing:   t4g.medium; validate Job requests cpu= memory=, limits cpu=1 memory=2Gi\n");
        assertThat(new MarkdownRenderer().render(d))
                .contains("| Sizing | `t4g.medium`; validate Job requests `cpu= memory=`, limits `cpu=1 memory=2Gi` |\n");
    }

    @Test
    void aRefusedGuardIsMarkedInBothRenderings() throws Exception {
        ObjectNode json = TicketRendererTest.fullDrill();
        ((ObjectNode) json.get("guards").get(1)).put("verdict", "refused").put("detail", "account is 111122223333");
        PlanDiff d = PlanDiffReader.read(json, "full-drill.json", "");
        assertThat(d.refusedGuards()).containsExactly("account: account is 111122223333");
        assertThat(new TextRenderer(Style.PLAIN).render(d)).containsPattern("\n  account +REFUSED   STS caller identity account is 048622080012 \\(account is 111122223333\\)\n");
        assertThat(new MarkdownRenderer().render(d)).contains("| account | refused | STS caller identity account is");
    }
}

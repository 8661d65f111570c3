package dev.dr.steps.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.step.Change;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code terraform show -json} and {@code output -json} documents recorded from the drill
 * folder of the tests (terraform_data only): parsing, order, replacements, masking. They run
 * without terraform.
 */
class PlanJsonTest {
    static final Path RECORDED = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath()
            .resolve("steps/src/test/resources/dr/terraform");
    /** The drill folder's sensitive join_token: its default, and the value the update plan rotates it to. */
    static final String TOKEN = "k3s-join-7f3a9c21d4";
    static final String ROTATED = "k3s-join-rotated-55e0b1";

    static String recorded(String name) throws IOException {
        return Files.readString(RECORDED.resolve(name));
    }

    @Test
    void anUpdatePlanListsEveryResourceByAddressWithAReplacementAsDeleteThenCreate() throws IOException {
        TerraformPlan plan = PlanJson.parse(recorded("plan-update.json"));
        assertThat(plan.changes()).containsExactly(
                new Change("delete", "terraform terraform_data.burst_credits[0]"),
                new Change("update", "terraform terraform_data.cluster (input.join_token, output)"),
                new Change("unchanged", "terraform terraform_data.network"),
                new Change("delete", "terraform terraform_data.root_volume (replace: triggers_replace)"),
                new Change("create", "terraform terraform_data.root_volume (replace: triggers_replace)"),
                new Change("update", "terraform terraform_data.runner (input.instance_type, output)"),
                new Change("update", "terraform output kubeconfig (sensitive)"));
        assertThat(plan.summary()).isEqualTo("1 to create, 2 to update, 2 to delete, 1 unchanged");
    }

    @Test
    void anUpdateNamesEachChangedAttributeWithBothValues() throws IOException {
        ResourceChange runner = resource(PlanJson.parse(recorded("plan-update.json")), "terraform_data.runner", "update");
        assertThat(runner.attributes()).containsExactly(
                new AttributeChange("input.instance_type", "\"t4g.medium\"", "\"t4g.large\""),
                new AttributeChange("output", "{\"instance_type\":\"t4g.medium\",\"subnet\":\"10.42.0.0/16\"}",
                        "(known after apply)"));
    }

    @Test
    void sensitiveValuesAreMaskedEvenWhereTerraformLeavesThemUnmarked() throws IOException {
        TerraformPlan plan = PlanJson.parse(recorded("plan-update.json"));
        ResourceChange cluster = resource(plan, "terraform_data.cluster", "update");
        assertThat(cluster.attributes().get(0))
                .isEqualTo(new AttributeChange("input.join_token", "(sensitive value)", "(sensitive value)"));
        // terraform_data's output repeats its input without the sensitive mark
        assertThat(cluster.attributes().get(1).before()).contains("\"join_token\":\"(sensitive value)\"")
                .doesNotContain(TOKEN);
        assertThat(plan.toString() + plan.resources() + plan.outputs() + plan.changes())
                .doesNotContain(TOKEN).doesNotContain(ROTATED).doesNotContain("apiVersion");
        assertThat(plan.secrets()).contains(TOKEN, ROTATED)
                .anyMatch(s -> s.startsWith("apiVersion: v1\nkind: Config"));
    }

    @Test
    void aCreatePlanListsItsResourcesAndOutputsSorted() throws IOException {
        TerraformPlan plan = PlanJson.parse(recorded("plan-create.json"));
        assertThat(plan.changes()).containsExactly(
                new Change("create", "terraform terraform_data.burst_credits[0]"),
                new Change("create", "terraform terraform_data.cluster"),
                new Change("create", "terraform terraform_data.network"),
                new Change("create", "terraform terraform_data.root_volume"),
                new Change("create", "terraform terraform_data.runner"),
                new Change("create", "terraform output kubeconfig (sensitive)"),
                new Change("create", "terraform output public_ip"));
        assertThat(plan.secrets()).contains(TOKEN);
    }

    @Test
    void aDestroyPlanDeletesEverything() throws IOException {
        TerraformPlan plan = PlanJson.parse(recorded("plan-destroy.json"));
        assertThat(plan.resources()).extracting(ResourceChange::action).containsOnly("delete");
        assertThat(plan.count("delete")).isEqualTo(5);
        assertThat(plan.outputs()).extracting(OutputChange::action).containsOnly("delete");
    }

    @Test
    void outputsKeepTheirSensitivityAndNeverPrintASensitiveValue() throws IOException {
        List<OutputValue> outputs = PlanJson.outputs(recorded("output.json"));
        assertThat(outputs).extracting(OutputValue::name).containsExactly("kubeconfig", "public_ip");
        assertThat(outputs.get(0).sensitive()).isTrue();
        assertThat(outputs.get(0).text()).contains("current-context: dr");
        assertThat(outputs.get(0).toString()).isEqualTo("OutputValue[kubeconfig, (sensitive value)]");
        assertThat(outputs.get(1).sensitive()).isFalse();
        assertThat(outputs.get(1).text()).isEqualTo("203.0.113.10");
    }

    @Test
    void createBeforeDestroyKeepsTerraformsOrderAndSaysSo() {
        TerraformPlan plan = PlanJson.parse(plan(resource("aws_instance.runner", "[\"create\", \"delete\"]",
                "{\"ami\": \"ami-1\", \"id\": \"i-1\"}", "{\"ami\": \"ami-2\"}", "{\"id\": true}",
                ", \"replace_paths\": [[\"ami\"]]")));
        assertThat(plan.changes()).containsExactly(
                new Change("create", "terraform aws_instance.runner (replace, new one first: ami)"),
                new Change("delete", "terraform aws_instance.runner (replace, new one first: ami)"));
    }

    @Test
    void readsForgetsAndUnknownActionsAreNamed() {
        TerraformPlan plan = PlanJson.parse(plan(
                resource("data.aws_ami.arm", "[\"read\"]", "null", "{}", "{}", "")
                        + ", " + resource("aws_eip.old", "[\"forget\"]", "{}", "null", "{}", "")
                        + ", " + resource("aws_eip.odd", "[\"frobnicate\"]", "{}", "{}", "{}", "")
                        + ", " + resource("aws_eip.this", "[\"no-op\"]", "{}", "{}", "{}",
                        "").replace("\"address\": \"aws_eip.this\"",
                        "\"address\": \"aws_eip.this\", \"previous_address\": \"aws_eip.main\"")));
        assertThat(plan.changes()).containsExactly(
                new Change("unknown", "terraform aws_eip.odd (terraform actions frobnicate)"),
                new Change("delete", "terraform aws_eip.old (from the state only; the object is kept)"),
                new Change("unchanged", "terraform aws_eip.this (moved from aws_eip.main)"),
                new Change("unchanged", "terraform data.aws_ami.arm (read during apply)"));
    }

    @Test
    void aWholeSensitiveAttributeIsNeitherShownNorDescendedInto() {
        TerraformPlan plan = PlanJson.parse(plan(resource("aws_instance.runner", "[\"update\"]",
                "{\"user_data\": {\"token\": \"old-secret-value\"}, \"tags\": {\"Name\": \"dr\", \"kubernetes.io/role\": \"a\"}}",
                "{\"user_data\": {\"token\": \"new-secret-value\"}, \"tags\": {\"Name\": \"dr-2\", \"kubernetes.io/role\": \"b\"}}",
                "{}", ", \"before_sensitive\": {\"user_data\": true}, \"after_sensitive\": {\"user_data\": true}")));
        ResourceChange r = plan.resources().get(0);
        assertThat(r.attributes()).containsExactly(
                new AttributeChange("tags.Name", "\"dr\"", "\"dr-2\""),
                new AttributeChange("tags[\"kubernetes.io/role\"]", "\"a\"", "\"b\""),
                new AttributeChange("user_data", "(sensitive value)", "(sensitive value)"));
        assertThat(plan.secrets()).containsExactlyInAnyOrder("old-secret-value", "new-secret-value");
    }

    @Test
    void longValuesAreCutAfterMasking() {
        String longValue = "x".repeat(100);
        TerraformPlan plan = PlanJson.parse(plan(resource("terraform_data.big", "[\"update\"]",
                "{\"input\": \"a\"}", "{\"input\": \"" + longValue + "\"}", "{}", "")));
        assertThat(plan.resources().get(0).attributes().get(0).after())
                .hasSize(PlanJson.MAX_VALUE_CHARS + " (102 chars)".length()).endsWith("… (102 chars)");
    }

    @Test
    void aDocumentThatIsNotAPlanIsRefused() {
        assertThatThrownBy(() -> PlanJson.parse("{\"resources\": []}"))
                .hasMessage("not a terraform plan document (no format_version)");
        assertThatThrownBy(() -> PlanJson.parse("{\"format_version\": \"2.0\"}"))
                .hasMessage("terraform plan format 2.0 is not supported; expected 1.x");
    }

    static ResourceChange resource(TerraformPlan plan, String address, String action) {
        return plan.resources().stream().filter(r -> r.address().equals(address) && r.action().equals(action))
                .findFirst().orElseThrow();
    }

    static String plan(String resourceChanges) {
        return "{\"format_version\": \"1.2\", \"resource_changes\": [" + resourceChanges + "]}";
    }

    static String resource(String address, String actions, String before, String after, String afterUnknown, String more) {
        return "{\"address\": \"" + address + "\", \"change\": {\"actions\": " + actions + ", \"before\": " + before
                + ", \"after\": " + after + ", \"after_unknown\": " + afterUnknown + more + "}}";
    }
}

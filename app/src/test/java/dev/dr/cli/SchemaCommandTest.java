package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.dr.json.JsonTrees;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** dr schema: the plan schema with each step's settings schema folded in. */
class SchemaCommandTest {

    static JsonNode schema() {
        DrRun r = DrRun.inProject(Map.of(), "schema");
        assertThat(r.exit()).isZero();
        return JsonTrees.read(r.out());
    }

    static int errors(JsonNode schema, String yaml) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema)
                .validate(YAMLMapper.builder().build().readTree(yaml)).size();
    }

    static final String PLAN = "apiVersion: dr/v1\nkind: DrillPlan\nphases:\n  - name: validate\n    steps:\n";

    @Test
    void aStepsSettingsAreCheckedByTheFoldedSchema() {
        JsonNode folded = schema();
        assertThat(errors(folded, PLAN + "      - {uses: k8s.run-job, with: {name: jobintel-validate}}\n")).isZero();
        assertThat(errors(folded, PLAN + "      - {uses: k8s.run-job, with: {nmae: jobintel-validate}}\n")).isPositive();
        assertThat(errors(folded, PLAN + "      - {uses: k8s.require}\n")).as("required resource missing")
                .isZero(); // with is optional in the plan schema; dr's own check refuses the missing resource
        assertThat(errors(folded, PLAN + "      - {uses: k8s.require, with: {}}\n")).isPositive();
        assertThat(folded.at("/$defs/step/properties/uses/description").asString()).contains("k8s.run-job");
    }

    @Test
    void theFileOnDiskStaysTheStepFreeLanguage() {
        JsonNode onDisk = dev.dr.plan.load.PlanLoader.planSchema();
        assertThat(onDisk.at("/$defs/step").has("allOf")).isFalse();
        assertThat(errors(onDisk, PLAN + "      - {uses: k8s.run-job, with: {nmae: x}}\n")).isZero();
    }
}

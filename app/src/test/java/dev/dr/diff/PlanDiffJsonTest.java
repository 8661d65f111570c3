package dev.dr.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.catalog.StepCatalog;
import dev.dr.json.JsonTrees;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.render.JsonRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plan-diff records and their JSON form: records to JSON and back give the same records,
 * the golden documents read back into records print byte for byte as they are and keep their
 * planDigest, and a document with a field missing or of the wrong type is refused with the
 * file and the field's path.
 */
class PlanDiffJsonTest {

    static final Path PROJECT = PlanDiffSchemaTest.PROJECT;
    static final StepCatalog STEPS = StepCatalog.load(PlanDiffJsonTest.class.getClassLoader());
    /** Every phase runs, so that retry, approval and steps are all in the documents. */
    static final Overrides ALL = new Overrides(null, null, false, true, true, null, true, null, null, null, 3, false);

    static Stream<String> plans() throws Exception {
        return PlanDiffSchemaTest.planFiles().stream();
    }

    static Stream<String> goldens() throws Exception {
        try (Stream<Path> s = Files.list(PROJECT.resolve("app/src/test/resources/golden"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    static PlanDiff build(String file, Overrides overrides) {
        return planned(file, overrides).orElseThrow();
    }

    /** The plan-diff, or empty when the overrides make this plan invalid (a failback plan cannot promote). */
    static java.util.Optional<PlanDiff> planned(String file, Overrides overrides) {
        LoadedPlan loaded = new PlanLoader(STEPS).load(PROJECT.resolve(file), file, Map.of(), overrides);
        return loaded.plan().map(p -> new PlanDiffBuilder(STEPS).build(loaded));
    }

    @ParameterizedTest
    @MethodSource("plans")
    void recordsToJsonAndBackAreTheSameRecords(String file) {
        assertThat(planned(file, Overrides.NONE)).as("the plan as it is").isPresent();
        for (Overrides o : List.of(Overrides.NONE, ALL)) {
            if (planned(file, o).isEmpty()) {
                continue;
            }
            PlanDiff d = build(file, o);
            PlanDiff back = PlanDiffReader.read(PlanDiffJson.toJson(d), "x.json", "");
            assertThat(back).isEqualTo(d);
            assertThat(PlanDiffJson.digestOf(back)).isEqualTo(d.planDigest());
        }
    }

    @Test
    void theRoundTripCoversRunningPhasesWithApprovalsAndOverrides() {
        PlanDiff d = build("plans/full-drill.yaml", ALL);
        assertThat(d.overrides()).isNotEmpty();
        assertThat(d.phases()).allMatch(PlanDiff.Phase::runs);
        assertThat(d.phases()).anyMatch(p -> p.execution().approval() != null);
        assertThat(d.phases()).flatMap(p -> p.execution().steps()).anyMatch(s -> !s.settings().isEmpty());
    }

    /** The runbook's knobs, as an operator exports them. */
    static final Map<String, String> KNOBS = Map.of("DR_VALIDATE_MAX_RETRIES", "4", "DR_VALIDATE_RETRY_BACKOFF_SECONDS", "20",
            "TF_VAR_instance_type", "t4g.large", "VALIDATE_REQUEST_CPU", "300m", "NAMESPACE", "jobintel-dr");

    @Test
    void valuesFromSetVariablesCarryTheirSourceThroughTheRoundTripAndTheDigest() {
        LoadedPlan loaded = new PlanLoader(STEPS).load(PROJECT.resolve("plans/full-drill.yaml"), "plans/full-drill.yaml",
                KNOBS, ALL);
        PlanDiff d = new PlanDiffBuilder(STEPS).build(loaded);
        assertThat(d.sources()).containsOnlyKeys("retry.phases.validate.maxRetries", "retry.phases.validate.backoff.initial",
                "sizing.instanceType", "sizing.validateJob.requests.cpu", "target.namespace");
        assertThat(d.sourceOf("retry.phases.validate.maxRetries")).isEqualTo("DR_VALIDATE_MAX_RETRIES=4");
        PlanDiff.Retry validate = d.phase(dev.dr.plan.model.PhaseName.VALIDATE).execution().retry();
        // --max-attempts 3 of ALL caps the 5 attempts DR_VALIDATE_MAX_RETRIES=4 gives; the source stays named
        assertThat(validate.maxAttempts()).isEqualTo(3);
        assertThat(validate.from()).containsEntry("DR_VALIDATE_MAX_RETRIES", "4")
                .containsEntry("DR_VALIDATE_RETRY_BACKOFF_SECONDS", "20");
        assertThat(d.phase(dev.dr.plan.model.PhaseName.BRINGUP).execution().retry().from()).isEmpty();
        tools.jackson.databind.node.ObjectNode json = PlanDiffJson.toJson(d);
        assertThat(json.path("sources").path("sizing.instanceType").path("TF_VAR_instance_type").asString())
                .isEqualTo("t4g.large");
        PlanDiff back = PlanDiffReader.read(json, "x.json", "");
        assertThat(back).isEqualTo(d);
        // the digest covers the sources: the same values from the plan's defaults digest differently
        LoadedPlan literal = new PlanLoader(STEPS).load(PROJECT.resolve("plans/full-drill.yaml"), "plans/full-drill.yaml",
                Map.of(), ALL);
        assertThat(new PlanDiffBuilder(STEPS).build(literal).sources()).isEmpty();
        assertThat(PlanDiffJson.toJson(new PlanDiffBuilder(STEPS).build(literal)).has("sources")).isFalse();
        assertThat(PlanDiffJson.digestOf(back)).isEqualTo(d.planDigest());
    }

    @Test
    void aSecretNamedVariableIsNamedButItsValueIsNot() {
        java.nio.file.Path plan = PROJECT.resolve("app/src/test/resources/cli/secret-image.yaml");
        LoadedPlan loaded = new PlanLoader(STEPS).load(plan, "secret-image.yaml", Map.of("IMAGE_PULL_TOKEN",
                "registry.example.com/hunter2@sha256:" + "cd".repeat(32)),
                Overrides.NONE);
        PlanDiff d = new PlanDiffBuilder(STEPS).build(loaded);
        assertThat(d.sourceOf("inputs.imageRef")).isEqualTo("IMAGE_PULL_TOKEN=(sensitive value)");
        assertThat(PlanDiffJson.toJson(d).toString()).doesNotContain("hunter2");
        assertThat(new dev.dr.render.TextRenderer(dev.dr.render.Style.PLAIN).render(d)).doesNotContain("hunter2")
                .contains("inputs.imageRef  from IMAGE_PULL_TOKEN=(sensitive value)");
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void aGoldenDocumentReadIntoRecordsPrintsByteForByteAsItIs(String name) throws Exception {
        String text = Files.readString(PROJECT.resolve("app/src/test/resources/golden/" + name), StandardCharsets.UTF_8);
        PlanDiff d = PlanDiffReader.read(JsonTrees.read(text), name, "");
        assertThat(new JsonRenderer().render(PlanDiffJson.toJson(d))).isEqualTo(text);
        assertThat(PlanDiffJson.digestOf(d)).isEqualTo(d.planDigest());
    }

    static ObjectNode fullDrill() throws Exception {
        return (ObjectNode) JsonTrees.read(Files.readString(PROJECT.resolve("app/src/test/resources/golden/full-drill.json"),
                StandardCharsets.UTF_8));
    }

    @Test
    void aMissingFieldIsNamedWithItsFileAndPath() throws Exception {
        ObjectNode d = fullDrill();
        ObjectNode firstRunning = null;
        int index = -1;
        ArrayNode phases = (ArrayNode) d.get("phases");
        for (int i = 0; i < phases.size() && firstRunning == null; i++) {
            if ("run".equals(phases.get(i).get("decision").asString())) {
                firstRunning = (ObjectNode) phases.get(i);
                index = i;
            }
        }
        ((ObjectNode) firstRunning.get("retry")).remove("maxAttempts");
        String at = "diff.phases[" + index + "].retry.maxAttempts";
        assertThatThrownBy(() -> PlanDiffReader.read(d, "saved.json", "diff"))
                .isInstanceOf(PlanDiffReader.Invalid.class).hasMessage("saved.json: " + at + " is missing; expected an integer");

        ObjectNode noDigest = fullDrill();
        noDigest.remove("planDigest");
        assertThatThrownBy(() -> PlanDiffReader.read(noDigest, "saved.json", ""))
                .hasMessage("saved.json: planDigest is missing; expected a string");
    }

    @Test
    void aValueOfTheWrongKindOrAnUnknownIdIsNamedWithWhatWasExpected() throws Exception {
        ObjectNode d = fullDrill();
        ((ObjectNode) d.get("summary")).put("phasesToRun", "3");
        assertThatThrownBy(() -> PlanDiffReader.read(d, "saved.json", "diff"))
                .hasMessage("saved.json: diff.summary.phasesToRun is a string; expected an integer");

        ObjectNode g = fullDrill();
        ((ObjectNode) g.get("guards").get(0)).put("verdict", "maybe");
        assertThatThrownBy(() -> PlanDiffReader.read(g, "saved.json", "diff"))
                .hasMessage("saved.json: diff.guards[0].verdict is \"maybe\"; expected one of ok, refused, at-apply,"
                        + " not-checked-yet, not-applicable");

        ObjectNode v = fullDrill();
        v.put("formatVersion", 2);
        assertThatThrownBy(() -> PlanDiffReader.read(v, "saved.json", "diff"))
                .hasMessageStartingWith("saved.json: diff.formatVersion is 2; expected 1");
    }

    @Test
    void liveVerdictsReplaceTheOfflineOnesAndKeepTheDigest() {
        PlanDiff d = build("plans/full-drill.yaml", ALL);
        PlanDiff live = d.withLiveVerdicts(Map.of("account", new Guards.Verdict(false, "account is 1")));
        assertThat(live.planDigest()).isEqualTo(d.planDigest()).isEqualTo(PlanDiffJson.digestOf(live));
        assertThat(live.refusedGuards()).containsExactly("account: account is 1");
        assertThat(d.refusedGuards()).isEmpty();
    }

    @Test
    void theDecisionsAreTheOnesThePlanDiffShows() {
        LoadedPlan loaded = new PlanLoader(STEPS).load(PROJECT.resolve("plans/full-drill.yaml"), "plans/full-drill.yaml",
                Map.of(), Overrides.NONE);
        PlanDiff d = new PlanDiffBuilder(STEPS).build(loaded);
        assertThat(d.decisions(loaded.plan().orElseThrow())).isEqualTo(Planner.decide(loaded.plan().orElseThrow()));
        LoadedPlan other = new PlanLoader(STEPS).load(PROJECT.resolve("plans/failback.yaml"), "plans/failback.yaml",
                Map.of(), Overrides.NONE);
        assertThatThrownBy(() -> d.decisions(other.plan().orElseThrow()))
                .as("the plan-diff of one plan does not decide for another").isInstanceOf(IllegalArgumentException.class).hasMessage("the plan-diff has 5 phases, the plan 6");
    }
}

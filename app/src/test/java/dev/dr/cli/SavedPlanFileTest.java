package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.diff.PlanDiff;
import dev.dr.diff.PlanDiffBuilder;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.PhaseName;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which FILE given to dr apply is a saved plan: a .json file that dr plan --out wrote, and
 * nothing else; and what it holds, read back into the plan-diff records, or refused with the
 * file and field it lacks.
 */
class SavedPlanFileTest {
    @TempDir
    Path tmp;

    static PlanDiff diff() {
        return new PlanDiffBuilder(TestPlans.STEPS).build(TestPlans.load("plans/validate-only.yaml", Map.of(),
                Overrides.NONE));
    }

    @Test
    void onlyAJsonFileWithTheMarkerIsASavedPlan() throws Exception {
        Context ctx = TestPlans.context(new StringWriter());
        PlanDiff diff = diff();
        SavedPlan saved = new SavedPlan("plans/validate-only.yaml", Overrides.NONE, diff.planDigest(), diff);
        Files.writeString(tmp.resolve("saved.json"), saved.toJson());
        Files.writeString(tmp.resolve("other.json"), "{\"apiVersion\": \"dr/v1\"}");
        Files.writeString(tmp.resolve("saved.yaml"), saved.toJson());
        assertThat(SavedPlan.in(ctx, tmp.resolve("saved.json").toString())).isEqualTo(saved);
        assertThat(SavedPlan.in(ctx, tmp.resolve("other.json").toString())).isNull();
        assertThat(SavedPlan.in(ctx, tmp.resolve("saved.yaml").toString())).as("a plan file, whatever it holds").isNull();
        assertThat(SavedPlan.in(ctx, tmp.resolve("missing.json").toString())).isNull();
    }

    @Test
    void aSavedPlanWithAFieldMissingIsRefusedWithTheFileAndTheField() throws Exception {
        Context ctx = TestPlans.context(new StringWriter());
        PlanDiff diff = diff();
        String json = new SavedPlan("plans/validate-only.yaml", Overrides.NONE, diff.planDigest(), diff).toJson();
        Path file = tmp.resolve("saved.json");
        Files.writeString(file, json.replaceFirst("\"maxAttempts\" : [0-9]+,\\s*", ""));
        assertThat(Files.readString(file)).isNotEqualTo(json);
        assertThatThrownBy(() -> SavedPlan.in(ctx, file.toString()))
                .isInstanceOfSatisfying(ExitException.class, e -> assertThat(e.code()).isEqualTo(ExitCodes.INVALID))
                .hasMessage(file + ": diff.phases[" + diff.phases().indexOf(diff.phase(PhaseName.VALIDATE))
                        + "].retry.maxAttempts is missing; expected an integer; save it again with dr plan --out."
                        + " Nothing was run.");

        Files.writeString(file, json.replace("\n  \"file\" : \"plans/validate-only.yaml\",", ""));
        assertThatThrownBy(() -> SavedPlan.in(ctx, file.toString()))
                .hasMessageStartingWith(file + ": file is missing; expected the plan file");
    }

    @Test
    void aSavedPlanWhosePlanDigestWasEditedIsRefused() throws Exception {
        Context ctx = TestPlans.context(new StringWriter());
        PlanDiff diff = diff();
        String json = new SavedPlan("plans/validate-only.yaml", Overrides.NONE, diff.planDigest(), diff).toJson();
        Path file = tmp.resolve("saved.json");
        String other = "sha256:" + "0".repeat(64);
        // the diff comes first (keys are sorted): this edits diff.planDigest
        Files.writeString(file, json.replaceFirst("\"planDigest\" : \"sha256:[0-9a-f]+\"", "\"planDigest\" : \"" + other + "\""));
        assertThatThrownBy(() -> SavedPlan.in(ctx, file.toString()))
                .hasMessageStartingWith(file + ": planDigest is " + diff.planDigest() + " but diff.planDigest is " + other);
    }
}

package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.Context;
import dev.dr.plan.load.Overrides;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which FILE given to dr apply is a saved plan: a .json file that dr plan --out wrote, and nothing else. */
class SavedPlanFileTest {
    @TempDir
    Path tmp;

    @Test
    void onlyAJsonFileWithTheMarkerIsASavedPlan() throws Exception {
        Context ctx = TestPlans.context(new StringWriter());
        SavedPlan saved = new SavedPlan("plans/validate-only.yaml", Overrides.NONE, "sha256:ab",
                tools.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        Files.writeString(tmp.resolve("saved.json"), saved.toJson());
        Files.writeString(tmp.resolve("other.json"), "{\"apiVersion\": \"dr/v1\"}");
        Files.writeString(tmp.resolve("saved.yaml"), saved.toJson());
        assertThat(SavedPlan.in(ctx, tmp.resolve("saved.json").toString()))
                .extracting(SavedPlan::file, SavedPlan::planDigest).containsExactly("plans/validate-only.yaml", "sha256:ab");
        assertThat(SavedPlan.in(ctx, tmp.resolve("other.json").toString())).isNull();
        assertThat(SavedPlan.in(ctx, tmp.resolve("saved.yaml").toString())).as("a plan file, whatever it holds").isNull();
        assertThat(SavedPlan.in(ctx, tmp.resolve("missing.json").toString())).isNull();
    }
}

package dev.dr.steps.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.json.JsonTrees;
import dev.dr.step.Change;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan a live preview saves in its handoff folder is the plan the apply applies, byte for
 * byte, with the real terraform on a local-backend copy of the drill folder; a state that moved
 * in between is refused as a stale preview with nothing applied.
 */
class TerraformSavedPlanTest {
    static final Map<String, String> SETTINGS = Map.of("sizing.instanceType", "t4g.medium", "target.region", "us-east-1");

    @TempDir
    Path dir;

    Path tf;
    Path handoff;

    @BeforeEach
    void folder() throws Exception {
        tf = ContractFolder.copy(dir.resolve("tf"));
        handoff = Files.createDirectory(dir.resolve("handoff"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    TestContext context(boolean readOnly, Optional<Path> handoffDir) {
        return new TestContext("{\"dir\": \"" + tf + "\"}", SETTINGS, dir.resolve("work"), readOnly, handoffDir);
    }

    @Test
    void theApplyAppliesExactlyThePlanThePreviewSavedOwnerOnly() throws Exception {
        TerraformApplyStep step = new TerraformApplyStep();
        Optional<List<Change>> previewed = step.preview(context(true, Optional.of(handoff)));
        assertThat(previewed).get().asList().contains(new Change("create", "terraform terraform_data.runner"));
        Path saved = handoff.resolve(TerraformWork.SAVED_PLAN);
        assertThat(saved).isRegularFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
        assertThat(tf.resolve("terraform.tfstate")).as("the preview changes no state").doesNotExist();
        String previewedPlan = TerraformWork.sha256(saved);

        TestContext apply = context(false, Optional.of(handoff));
        step.apply(apply);
        assertThat(apply.log).contains("terraform folder " + tf + ": applying the plan-diff's saved plan " + previewedPlan
                + ", without planning again");
        assertThat(apply.log).as("no second plan").noneMatch(l -> l.startsWith("$ terraform plan"));
        assertThat(apply.log).anyMatch(l -> l.startsWith("$ terraform apply -input=false -no-color " + saved));
        assertThat(JsonTrees.read(Files.readString(tf.resolve("terraform.tfstate"))).get("resources")).hasSize(5);
        assertThat(saved).as("removed once applied").doesNotExist();
    }

    @Test
    void aStateThatMovedSinceThePreviewIsRefusedAsStaleAndNothingIsApplied() throws Exception {
        TerraformApplyStep step = new TerraformApplyStep();
        step.preview(context(true, Optional.of(handoff)));
        // another operator's apply in between: the state the plan-diff was made from is gone
        ContractFolder.run(tf, "terraform", "init", "-input=false");
        ContractFolder.run(tf, "terraform", "apply", "-auto-approve", "-input=false", "-var", "instance_type=t4g.small");
        String moved = Files.readString(tf.resolve("terraform.tfstate"));

        TestContext apply = context(false, Optional.of(handoff));
        assertThatThrownBy(() -> step.apply(apply)).isInstanceOfSatisfying(StepFailure.class, f -> {
            assertThat(f.errorClass()).isEqualTo(ErrorClass.STALE_PREVIEW);
            assertThat(f.getMessage()).contains("the terraform state of " + tf + " changed since the plan-diff was shown",
                    "nothing of its plan was applied", "Run dr apply again");
        });
        assertThat(ErrorClass.STALE_PREVIEW.retryable()).isFalse();
        assertThat(tf.resolve("terraform.tfstate")).as("nothing applied").hasContent(moved);
        assertThat(apply.log).noneMatch(l -> l.startsWith("$ terraform plan"));
        assertThat(handoff.resolve(TerraformWork.SAVED_PLAN)).doesNotExist();
    }

    @Test
    void withoutASavedPlanTheApplyPlansNowAndSaysSo() throws Exception {
        TestContext apply = context(false, Optional.of(handoff));
        new TerraformApplyStep().apply(apply);
        assertThat(apply.log).anyMatch(l -> l.endsWith(": planning now"))
                .anyMatch(l -> l.startsWith("$ terraform plan"));
        assertThat(JsonTrees.read(Files.readString(tf.resolve("terraform.tfstate"))).get("resources")).hasSize(5);
    }

    @Test
    void theDestroyAppliesItsPreviewsSavedPlanToo() throws Exception {
        ContractFolder.run(tf, "terraform", "init", "-input=false");
        ContractFolder.run(tf, "terraform", "apply", "-auto-approve", "-input=false", "-var", "instance_type=t4g.medium");
        TerraformDestroyStep step = new TerraformDestroyStep();
        assertThat(step.preview(context(true, Optional.of(handoff)))).get().asList()
                .contains(new Change("delete", "terraform terraform_data.runner"));
        String previewed = TerraformWork.sha256(handoff.resolve(TerraformWork.SAVED_PLAN));
        TestContext destroy = context(false, Optional.of(handoff));
        assertThat(step.apply(destroy).outputs()).containsEntry("terraform.destroyed", "5");
        assertThat(destroy.log).anyMatch(l -> l.contains("saved plan " + previewed))
                .noneMatch(l -> l.startsWith("$ terraform plan"));
        assertThat(JsonTrees.read(Files.readString(tf.resolve("terraform.tfstate"))).get("resources")).isEmpty();
    }
}

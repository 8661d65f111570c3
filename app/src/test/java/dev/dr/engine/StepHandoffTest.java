package dev.dr.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.StepUse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

/** The handoff folders of one dr apply: owner-only, one per step of the plan, an apply's only where its preview made one, gone at the end. */
class StepHandoffTest {

    static Phase phase(PhaseName name, String... uses) {
        List<StepUse> steps = new ArrayList<>();
        for (String u : uses) {
            steps.add(new StepUse(u, u, JsonNodeFactory.instance.objectNode()));
        }
        return new Phase(name, "", null, null, steps);
    }

    @Test
    void oneOwnerOnlyFolderPerStepSharedByPreviewAndApplyAndRemovedWhole() throws Exception {
        Phase bringup = phase(PhaseName.BRINGUP, "terraform.apply", "terraform.apply");
        StepUse first = bringup.steps().get(0);
        StepUse second = bringup.steps().get(1);
        Path root;
        try (StepHandoff h = StepHandoff.create()) {
            root = h.root();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root))).isEqualTo("rwx------");
            assertThat(h.forApply(bringup, first)).as("no preview, nothing handed over").isEmpty();
            Path a = h.forPreview(bringup, first);
            Path b = h.forPreview(bringup, second);
            assertThat(a).isNotEqualTo(b).startsWith(root);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a))).isEqualTo("rwx------");
            Files.writeString(a.resolve("tfplan"), "saved");
            assertThat(h.forApply(bringup, first)).isEqualTo(Optional.of(a));
            assertThatThrownBy(() -> h.forPreview(phase(PhaseName.RESTORE, "k8s.apply"), first))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(root).doesNotExist();
    }
}

package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.plan.load.Overrides;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which gates a run passes without an approval: those a drill with allowPromoteBypass bypasses, and only those. */
class RunApprovalTest {
    static final String DRILL = "examples/sandbox/drill.yaml"; // promote gated, allowPromoteBypass: true

    @TempDir
    Path tmp;

    static Overrides bypass(boolean allowed) {
        return new Overrides(null, null, null, null, null, allowed, null, null, null, null, null, false);
    }

    @Test
    void aDrillThatAllowsTheBypassPassesItsGatedPhase() throws Exception {
        Plan plan = TestPlans.load(DRILL, Map.of(), Overrides.NONE).plan().orElseThrow();
        assertThat(RunApproval.bypassed(plan)).containsExactly(PhaseName.PROMOTE);
        Phase promote = plan.phases().stream().filter(p -> p.name() == PhaseName.PROMOTE).findFirst().orElseThrow();
        // no approval recorded in the run's folder, and yet the gate opens at once
        assertThat(RunApproval.gate(TestPlans.context(new StringWriter()), plan, tmp, "sha256:1", Set.of(),
                Clock.systemUTC()).await(promote, "run-1")).isNull();
    }

    @Test
    void withoutTheBypassNoGateIsPassed() {
        Plan plan = TestPlans.load(DRILL, Map.of(), bypass(false)).plan().orElseThrow();
        assertThat(RunApproval.bypassed(plan)).isEmpty();
        assertThat(RunApproval.bypassed(TestPlans.load(ApplyCommandTest.PLAN, Map.of(), bypass(true)).plan()
                .orElseThrow())).as("a plan without a gated phase").isEmpty();
    }
}

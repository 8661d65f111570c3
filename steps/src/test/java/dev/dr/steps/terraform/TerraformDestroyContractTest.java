package dev.dr.steps.terraform;

import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.FileLog;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.StepContract;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** terraform.destroy of what a bringup applied, with the real terraform; refused while another apply holds the state. */
class TerraformDestroyContractTest extends StepContract {

    Path tf;
    FileLog state;
    FileLock held;

    @BeforeEach
    void appliedFolder() throws Exception {
        tf = ContractFolder.copy(contractDir.resolve("tf"));
        ContractFolder.run(tf, "terraform", "init", "-input=false", "-no-color");
        ContractFolder.run(tf, "terraform", "apply", "-auto-approve", "-input=false", "-no-color", "-var",
                "instance_type=t4g.medium");
        state = FileLog.under(tf);
    }

    @AfterEach
    void release() throws Exception {
        if (held != null) {
            held.channel().close();
        }
    }

    @Override
    protected Step step() {
        return new TerraformDestroyStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{dir: \"" + tf + "\"}", "{dir: \"" + tf + "\", vars: {join_token: k3s-join-contract}}");
    }

    @Override
    protected ContractDrill drill() {
        return ContractDrill.of("teardown", Map.of()).withRun("teardown: true").withPhase("timeout: 2m");
    }

    @Override
    protected ContractDrill refusingDrill() throws Exception {
        held = ContractFolder.heldByAnotherApply(tf);
        return drill();
    }

    @Override
    protected RequestLog requests() {
        return state;
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("terraform.destroyed");
    }
}

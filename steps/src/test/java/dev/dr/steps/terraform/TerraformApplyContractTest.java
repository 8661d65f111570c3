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

/** terraform.apply with the real terraform; its "server" is the folder's local state, refused while another apply holds it. */
class TerraformApplyContractTest extends StepContract {

    Path tf;
    FileLog state;
    FileLock held;

    @BeforeEach
    void folder() throws Exception {
        tf = ContractFolder.copy(contractDir.resolve("tf"));
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
        return new TerraformApplyStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{dir: \"" + tf + "\"}", "{dir: \"" + tf + "\", vars: {join_token: k3s-join-contract}}");
    }

    @Override
    protected ContractDrill drill() {
        return ContractDrill.of("bringup", Map.of()).withPhase("timeout: 2m");
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
        return Set.of("kubeconfig", "public_ip");
    }
}

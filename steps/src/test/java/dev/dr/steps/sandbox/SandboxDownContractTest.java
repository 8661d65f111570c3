package dev.dr.steps.sandbox;

import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.ProcessLog;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.StepContract;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * sandbox.down of a running sandbox cluster, named by its bringup's receipt; its "server" is that
 * process. A teardown whose receipts name no sandbox is refused.
 */
class SandboxDownContractTest extends StepContract {

    ProcessLog clusters;
    RunningSandbox sandbox;

    @BeforeEach
    void watch() {
        clusters = ProcessLog.commandLineContaining(SandboxFiles.SERVER_CLASS, contractDir.toString());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Override
    protected Step step() {
        return new SandboxDownStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}");
    }

    @Override
    protected ContractDrill drill() throws Exception {
        if (sandbox == null) {
            // started by the first check that needs it: those that do not, start no JVM
            sandbox = RunningSandbox.start(Files.createDirectories(contractDir.resolve("cluster")));
        }
        return ContractDrill.of("teardown", Map.of("sandbox.pid", Long.toString(sandbox.process.pid())))
                .withRun("teardown: true");
    }

    @Override
    protected ContractDrill refusingDrill() {
        return ContractDrill.of("teardown", Map.of()).withRun("teardown: true");
    }

    @Override
    protected RequestLog requests() {
        return clusters;
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("runners.left");
    }
}

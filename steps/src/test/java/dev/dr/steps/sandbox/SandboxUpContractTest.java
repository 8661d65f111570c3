package dev.dr.steps.sandbox;

import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.step.kit.FileLog;
import dev.dr.step.kit.ProcessLog;
import dev.dr.step.kit.RequestLog;
import dev.dr.step.kit.StepContract;
import dev.dr.aws.S3Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * sandbox.up: its "server" is the cluster process it starts and the files it leaves in the
 * test's folder. A sandbox folder that cannot be made (a file stands where it goes) refuses it.
 */
class SandboxUpContractTest extends StepContract {

    ProcessLog clusters;
    FileLog files;

    @BeforeEach
    void watch() {
        clusters = ProcessLog.commandLineContaining(SandboxFiles.SERVER_CLASS, contractDir.toString());
        files = FileLog.under(contractDir);
    }

    @AfterEach
    void noClusterLeft() {
        clusters.processes().forEach(p -> {
            p.destroy();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    @Override
    protected Step step() {
        return new SandboxUpStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}");
    }

    @Override
    protected ContractDrill drill() {
        return ContractDrill.of("bringup", Map.of()).withInputs(Map.of("bucket", RunningSandbox.BUCKET))
                .withPhase("timeout: 2m");
    }

    @Override
    protected ContractDrill refusingDrill() throws Exception {
        Path work = Files.createDirectories(contractDir.resolve("refusing-work"));
        Files.writeString(work.resolve("sandbox"), "a file where the sandbox's folder goes\n");
        return drill().withWorkDir(work);
    }

    @Override
    protected RequestLog requests() {
        return clusters.and(files);
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("kubeconfig", "sandbox.pid", S3Settings.ENDPOINT_OUTPUT);
    }
}

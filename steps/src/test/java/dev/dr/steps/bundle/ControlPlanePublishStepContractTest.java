package dev.dr.steps.bundle;

import dev.dr.step.Step;
import dev.dr.steps.contract.LoopbackStepContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

/** control-plane.publish: the bundle's gzip bytes go through the recording proxy as they are, so its SHA-256 check holds. */
class ControlPlanePublishStepContractTest extends LoopbackStepContract {

    Path source;

    @BeforeEach
    void primaryControlPlane() throws Exception {
        source = ControlPlaneFetchStepContractTest.simpleControlPlane(contractDir.resolve("primary"));
    }

    @Override
    protected Step step() {
        return new ControlPlanePublishStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{source: \"" + source + "\", gitSha: " + BundleFixtures.GIT + "}");
    }

    @Override
    protected Map<String, String> inputs() {
        return Map.of("bucket", BUCKET, "prefix", "jobintel", "imageRef", "r.example/jobintel@" + BundleFixtures.IMAGE);
    }

    @Override
    protected String phase() {
        return "publish-bundle";
    }

    @Override
    protected Set<String> outputs() {
        return Set.of(ControlPlaneSteps.BUNDLE_URI, ControlPlaneSteps.BUNDLE_SHA, "control-plane.pointer.moved");
    }
}

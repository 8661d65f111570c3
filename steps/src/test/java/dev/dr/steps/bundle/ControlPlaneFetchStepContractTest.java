package dev.dr.steps.bundle;

import dev.dr.aws.S3Objects;
import dev.dr.step.Step;
import dev.dr.steps.contract.LoopbackStepContract;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

class ControlPlaneFetchStepContractTest extends LoopbackStepContract {

    @BeforeEach
    void published() throws Exception {
        Bundle b = BundleWriter.write(simpleControlPlane(contractDir.resolve("primary")),
                contractDir.resolve("bundle.tar.gz"), BundleFixtures.GIT, BundleFixtures.IMAGE, BundleFixtures.CREATED);
        try (S3Objects o = s3Objects()) {
            new ControlPlane(o, BUCKET, "jobintel").publish(b, BundleFixtures.IMAGE, Clock.systemUTC(), line -> { });
        }
    }

    /** A control plane whose every file makes a valid ConfigMap key (BundleFixtures' has one that does not). */
    static Path simpleControlPlane(Path dir) throws Exception {
        BundleFixtures.write(dir, "candidates/boards.yaml", "boards: [greenhouse, lever]\n");
        BundleFixtures.write(dir, "alerts/rules.yaml", "rules: []\n");
        BundleFixtures.write(dir, "providers/providers.json", "{\"providers\": []}\n");
        BundleFixtures.write(dir, "scoring/weights.yaml", "title: 0.4\n");
        return dir;
    }

    @Override
    protected Step step() {
        return new ControlPlaneFetchStep();
    }

    @Override
    protected List<String> examples() {
        return List.of("{}");
    }

    @Override
    protected String phase() {
        return "restore";
    }

    @Override
    protected Set<String> outputs() {
        return Set.of(ControlPlaneSteps.DIR, ControlPlaneSteps.BUNDLE_URI, ControlPlaneSteps.BUNDLE_SHA,
                ControlPlaneSteps.GIT_SHA);
    }
}

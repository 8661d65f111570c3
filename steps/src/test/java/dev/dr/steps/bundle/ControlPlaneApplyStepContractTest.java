package dev.dr.steps.bundle;

import dev.dr.aws.S3Objects;
import dev.dr.step.Step;
import dev.dr.step.kit.ContractDrill;
import dev.dr.steps.contract.LoopbackStepContract;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;

/** control-plane.apply, given the bundle an earlier control-plane.fetch verified (its outputs). */
class ControlPlaneApplyStepContractTest extends LoopbackStepContract {

    Map<String, String> fetched;

    @BeforeEach
    void fetchedBundleAndNamespace() throws Exception {
        Bundle b = BundleWriter.write(ControlPlaneFetchStepContractTest.simpleControlPlane(contractDir.resolve("primary")),
                contractDir.resolve("bundle.tar.gz"), BundleFixtures.GIT, BundleFixtures.IMAGE, BundleFixtures.CREATED);
        try (S3Objects o = s3Objects()) {
            ControlPlane cp = new ControlPlane(o, BUCKET, "jobintel");
            cp.publish(b, BundleFixtures.IMAGE, Clock.systemUTC(), line -> { });
            ControlPlane.Fetched f = cp.fetch(Files.createDirectories(contractDir.resolve("fetch")),
                    contractDir.resolve("fetch/bundle"), line -> { });
            fetched = Map.of(ControlPlaneSteps.DIR, f.bundle().controlPlaneDir().toAbsolutePath().toString(),
                    ControlPlaneSteps.BUNDLE_URI, f.pointer().bundleUri(), ControlPlaneSteps.BUNDLE_SHA,
                    f.pointer().bundleSha256(), ControlPlaneSteps.GIT_SHA, f.pointer().gitSha());
        }
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("jobintel").endMetadata().build())
                .create();
    }

    @Override
    protected Step step() {
        return new ControlPlaneApplyStep();
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
    protected ContractDrill around(ContractDrill drill) {
        return drill.withEarlierOutputs(fetched);
    }

    @Override
    protected Set<String> outputs() {
        return Set.of("control-plane.configmaps");
    }
}

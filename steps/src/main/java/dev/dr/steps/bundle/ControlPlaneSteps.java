package dev.dr.steps.bundle;

import dev.dr.aws.S3Objects;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** What the control-plane steps share: where the objects are, and scratch folders for previews. */
final class ControlPlaneSteps {
    private ControlPlaneSteps() {}

    /** Receipt outputs: the fetched, verified control-plane folder and what it came from. */
    static final String DIR = "control-plane.dir";
    static final String BUNDLE_URI = "control-plane.bundle.uri";
    static final String BUNDLE_SHA = "control-plane.bundle.sha256";
    static final String GIT_SHA = "control-plane.git.sha";

    /** A client for the plan's bucket; read-only in a preview. The caller closes it. */
    static S3Objects s3(StepContext ctx) {
        return S3Objects.forStep(ctx);
    }

    static ControlPlane controlPlane(StepContext ctx, S3Objects s3) throws StepFailure {
        String bucket = ctx.setting("inputs.bucket").filter(s -> !s.isBlank())
                .orElseThrow(() -> StepFailure.permanent("inputs.bucket is empty: the control plane lives in s3://<bucket>/<prefix>/control-plane"));
        String prefix = ctx.setting("inputs.prefix").orElse("");
        try {
            return new ControlPlane(s3, bucket, prefix);
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent("inputs.bucket: " + e.getMessage());
        }
    }

    /** A scratch folder outside the receipts, for a preview that must not write there. */
    static Path scratch() throws StepFailure {
        try {
            return Files.createTempDirectory("dr-control-plane");
        } catch (IOException e) {
            throw StepFailure.permanent("cannot create a temporary folder: " + e.getMessage());
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a leftover temporary folder is harmless; the preview's result stands
        }
    }
}

package dev.dr.steps.bundle;

import dev.dr.aws.S3Objects;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code control-plane.publish}: the primary's control plane as a deterministic bundle, uploaded
 * and verified, then named by {@code current.json}.
 */
public final class ControlPlanePublishStep extends DescribedStep {
    public ControlPlanePublishStep() {
        super("control-plane.publish");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure, InterruptedException {
        Path scratch = ControlPlaneSteps.scratch();
        try {
            // built, its rules checked, before S3 is reached: a refused control plane says why
            // even where S3 cannot be read
            Bundle b = build(ctx, scratch.resolve("bundle.tar.gz"));
            return Optional.of(changes(ctx, b));
        } finally {
            ControlPlaneSteps.deleteTree(scratch);
        }
    }

    /** What publishing {@code b} would change: the bundle object, and the pointer unless it names {@code b} already. */
    private static List<Change> changes(StepContext ctx, Bundle b) throws StepFailure {
        try (S3Objects s3 = ControlPlaneSteps.s3(ctx)) {
            ControlPlane cp = ControlPlaneSteps.controlPlane(ctx, s3);
            Optional<Pointer> current = cp.pointer();
            if (current.isPresent() && current.get().bundleSha256().equals(b.sha256())) {
                return List.of(new Change("unchanged", cp.pointerUri() + " (already names bundle sha256 " + b.sha256() + ")"));
            }
            return List.of(
                    new Change("create", cp.pointerUri().toString().replace("current.json", "bundles/<timestamp>-"
                            + ControlPlane.shortSha(b.manifest().gitSha()) + ".tar.gz") + " (sha256 " + b.sha256() + ", " + b.manifest().fileCount() + " files)"),
                    new Change(current.isPresent() ? "update" : "create", cp.pointerUri() + " (bundle_sha256 "
                            + current.map(Pointer::bundleSha256).orElse("none") + " -> " + b.sha256() + ")"));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        try {
            Path out = ctx.workDir().resolve("control-plane").resolve("publish");
            Files.createDirectories(out);
            Bundle b = build(ctx, out.resolve("bundle.tar.gz"));
            ctx.log("built bundle: " + b.manifest().fileCount() + " files, " + b.size() + " bytes, sha256 " + b.sha256());
            return publish(ctx, b);
        } catch (IOException e) {
            throw StepFailure.permanent("control-plane.publish: " + e.getMessage());
        }
    }

    private static StepResult publish(StepContext ctx, Bundle b) throws StepFailure, InterruptedException {
        try (S3Objects s3 = ControlPlaneSteps.s3(ctx)) {
            ControlPlane cp = ControlPlaneSteps.controlPlane(ctx, s3);
            ControlPlane.Published p = cp.publish(b, ctx.setting("inputs.imageRef").orElse(""), Clock.systemUTC(), ctx::log);
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put(ControlPlaneSteps.BUNDLE_URI, p.pointer().bundleUri());
            outputs.put(ControlPlaneSteps.BUNDLE_SHA, p.pointer().bundleSha256());
            outputs.put("control-plane.pointer.moved", Boolean.toString(p.pointerMoved()));
            return new StepResult(outputs);
        }
    }

    private static Bundle build(StepContext ctx, Path archive) throws StepFailure, InterruptedException {
        Path source = Path.of(ctx.with().path("source").asString());
        GitRevision rev = ctx.with().hasNonNull("gitSha")
                ? new GitRevision(ctx.with().get("gitSha").asString(), GitRevision.NONE.committedAt())
                : GitRevision.of(source).orElse(GitRevision.NONE);
        try {
            return BundleWriter.write(source, archive, rev.sha(), ctx.setting("inputs.imageRef").orElse(""), rev.committedAt(),
                    ConfigMapRenderer::check);
        } catch (IOException e) {
            throw StepFailure.permanent("control-plane.publish: " + e.getMessage());
        }
    }
}

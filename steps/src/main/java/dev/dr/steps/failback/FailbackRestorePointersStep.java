package dev.dr.steps.failback;

import dev.dr.aws.S3Objects;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.pointers.PublishPointers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code failback.restore-pointers}: hands the publish pointers back to the primary and writes
 * the runbook's {@code failback.summary.json} (in the receipt folder, and the work folder's
 * {@code failback/} as before).
 */
public final class FailbackRestorePointersStep extends DescribedStep {
    public FailbackRestorePointersStep() {
        super("failback.restore-pointers");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            String now = p.canonical();
            return Optional.of(List.of(PublishPointers.PRIMARY.equals(now)
                    ? new Change("unchanged", p.canonicalUri() + " (canonical: primary already)")
                    : new Change("update", p.canonicalUri() + " (canonical: " + now + " -> primary, "
                            + p.prefixOf(PublishPointers.PRIMARY) + ")")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            String before = p.canonical();
            String at = Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS).toString();
            if (!PublishPointers.PRIMARY.equals(before)) {
                p.pointAt(PublishPointers.PRIMARY, "failback", at);
            }
            FailbackSteps.transition(ctx, "pointers: canonical " + before + " -> primary (" + p.canonicalUri() + ")");
            try {
                Files.writeString(ctx.workDir().resolve("failback").resolve("failback.summary.json"), "{\n  \"canonical_before\": \""
                        + before + "\",\n  \"canonical_after\": \"primary\",\n  \"pointer\": \"" + p.canonicalUri()
                        + "\",\n  \"restored_at\": \"" + at + "\"\n}\n", StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                throw StepFailure.permanent("cannot write failback.summary.json: " + e.getMessage());
            }
            FailbackSteps.restored(ctx, p.canonicalUri().toString(), before, at);
            return new StepResult(Map.of("publish.canonical", "primary", "publish.canonical.before", before));
        }
    }
}

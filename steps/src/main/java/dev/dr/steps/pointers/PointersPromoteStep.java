package dev.dr.steps.pointers;

import dev.dr.aws.S3Objects;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code pointers.promote}: makes the DR environment's publish outputs canonical for batch
 * consumers ({@link PublishPointers}). It runs only behind the promote phase's approval gate,
 * or a recorded drill bypass.
 */
public final class PointersPromoteStep extends DescribedStep {
    public PointersPromoteStep() {
        super("pointers.promote");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            String now = p.canonical();
            return Optional.of(List.of(PublishPointers.DR.equals(now)
                    ? new Change("unchanged", p.canonicalUri() + " (canonical: dr already)")
                    : new Change("update", p.canonicalUri() + " (canonical: " + now + " -> dr, " + p.prefixOf("dr") + ")")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            String before = p.canonical();
            if (PublishPointers.DR.equals(before)) {
                ctx.log(p.canonicalUri() + " already names dr as canonical; nothing to change");
            } else {
                p.pointAt(PublishPointers.DR, "promote", Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS).toString());
                ctx.log(p.canonicalUri() + ": canonical " + before + " -> dr (" + p.prefixOf("dr") + "); no DNS cutover, no traffic switch");
            }
            return new StepResult(Map.of("publish.canonical", "dr", "publish.canonical.before", before,
                    "publish.pointer", p.canonicalUri().toString()));
        }
    }
}

package dev.dr.steps.failback;

import dev.dr.aws.S3Objects;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.pointers.PublishPointers;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code failback.check-promoted}: failback only follows a promotion, so the DR side must be
 * canonical; a refusal is a line of state_transitions.log and a refused failback.summary.json.
 */
public final class FailbackCheckPromotedStep extends DescribedStep {
    public FailbackCheckPromotedStep() {
        super("failback.check-promoted");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            return Optional.of(List.of(new Change("unchanged", "read " + p.canonicalUri() + " (canonical: " + p.canonical() + ")")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            String side = p.canonical();
            if (!PublishPointers.DR.equals(side)) {
                throw FailbackSteps.refused(ctx, "precondition", Map.of("pointer", p.canonicalUri().toString()), StepFailure.permanent(
                        "DR is not promoted: " + p.canonicalUri() + " names " + side + " as canonical; failback only follows a promotion"));
            }
            FailbackSteps.transition(ctx, "precondition: DR promoted (" + p.canonicalUri() + " names dr)");
            return StepResult.of("failback.precondition", "dr-promoted");
        }
    }
}

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
            // the same check as the run's, read-only: a dry run says the failback would be refused
            String side = promoted(p);
            return Optional.of(List.of(new Change("unchanged", "read " + p.canonicalUri() + " (canonical: " + side + ")")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            try {
                promoted(p);
            } catch (StepFailure e) {
                // the refusal goes into state_transitions.log and failback.summary.json too
                throw FailbackSteps.refused(ctx, "precondition", Map.of("pointer", p.canonicalUri().toString()), e);
            }
            FailbackSteps.transition(ctx, "precondition: DR promoted (" + p.canonicalUri() + " names dr)");
            return StepResult.of("failback.precondition", "dr-promoted");
        }
    }

    /** The side the canonical pointer names (one read); fails (permanent) unless it is DR. */
    private static String promoted(PublishPointers p) throws StepFailure {
        String side = p.canonical();
        if (!PublishPointers.DR.equals(side)) {
            throw StepFailure.permanent("DR is not promoted: " + p.canonicalUri() + " names " + side
                    + " as canonical; failback only follows a promotion");
        }
        return side;
    }
}

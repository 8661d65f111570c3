package dev.dr.aws;

import dev.dr.step.StepContext;

/**
 * A step context whose run shares its AWS clients (a live preview, where every step and guard
 * runs at once; dr apply, whose steps run one after another on the same clients). Steps need not know: {@link S3Objects#forStep} and
 * {@link AwsClientRegistry#forStep} take the shared client from it and leave it open.
 */
public interface AwsStepContext extends StepContext {

    /** The run's clients; the run closes them, not the step. */
    AwsClientRegistry awsClients();
}

package dev.dr.aws.sfn;

/**
 * dr refuses to act on an orchestrated execution, and nothing was changed: the ARN or the
 * credentials are of another account, the execution does not run, or it does not wait at the
 * promotion gate. The message says which, and never carries a task token.
 */
public final class GateRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public GateRefused(String message) {
        super(message);
    }
}

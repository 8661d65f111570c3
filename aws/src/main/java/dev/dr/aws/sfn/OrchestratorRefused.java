package dev.dr.aws.sfn;

/**
 * dr refuses to act on the orchestrator, and nothing was changed: the credentials are of
 * another account, an execution of that name exists already, or the execution to approve does
 * not run or does not wait at the promotion gate. The message says which, and never carries a
 * task token.
 */
public final class OrchestratorRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public OrchestratorRefused(String message) {
        super(message);
    }
}

package dev.dr.command;

import java.net.URI;
import java.util.Optional;

/**
 * {@code dr approve --execution-arn}: an approval sent to the promotion gate of an execution of the
 * orchestrator's state machine. The runner's {@code approve} command checks what both of its modes
 * share and hands the rest to the implementation ServiceLoader finds
 * ({@code META-INF/services/dev.dr.command.OrchestratorApproval}), which lives with the
 * orchestrator's other commands.
 */
public interface OrchestratorApproval {

    /**
     * What the operator gave. The runner has checked that the approver and the ticket are not
     * blank and that an expected account is given.
     */
    record Request(String executionArn, String expectedAccount, Optional<String> region, Optional<URI> endpoint,
                   boolean unsigned, String approver, String ticket) {}

    /**
     * Checks the execution and the credentials against the expected account, then approves, or
     * refuses with nothing sent; says which on the context's writers.
     *
     * @return the exit code
     * @throws ExitException for a request that is not usable (exit 2)
     */
    int approve(Context ctx, Request request);
}

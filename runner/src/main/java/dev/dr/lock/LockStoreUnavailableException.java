package dev.dr.lock;

import java.io.IOException;

/**
 * The lock store itself failed (unreachable, throttled, access denied, no such table): the
 * lock was neither taken nor found held, so a drill must not run.
 */
public final class LockStoreUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean transientFailure;

    /**
     * @param transientFailure whether trying again later may succeed (unreachable, throttled,
     *                         a server error) rather than needing a fix (access, a missing table)
     */
    public LockStoreUnavailableException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Whether trying again later may succeed. */
    public boolean transientFailure() {
        return transientFailure;
    }
}

package dev.dr.lock;

import java.io.IOException;
import java.util.Optional;

/**
 * Where drill locks live. This store is pluggable: a file store for local runs and the
 * sandbox; a DynamoDB store (conditional writes) for real targets.
 */
public interface LockStore {

    /** Takes the lock, or throws with its holder when another run has it. */
    Lease acquire(LockKey key, Holder holder) throws LockHeldException, IOException;

    /**
     * Takes over the lock of a run that is gone: replaces it with {@code holder} in one step, on
     * condition that it still names {@code stale}. A lock removed meanwhile is taken as
     * {@link #acquire} would; a lock that changed hands meanwhile is refused with its new holder.
     */
    Lease takeOver(LockKey key, Holder stale, Holder holder) throws LockHeldException, IOException;

    /** The current holder, if any. */
    Optional<Holder> holder(LockKey key) throws IOException;

    /** Removes the lock whoever holds it; returns the holder it removed. */
    Optional<Holder> forceUnlock(LockKey key) throws IOException;

    /** Where the locks live, for messages: "the file store in …", "DynamoDB table … in …". */
    default String location() {
        return "the lock store";
    }

    /** A held lock; closing it releases the lock if this run still holds it. */
    interface Lease extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}

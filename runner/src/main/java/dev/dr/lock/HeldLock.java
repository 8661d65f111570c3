package dev.dr.lock;

import java.time.Instant;
import java.util.Objects;

/**
 * A lock as a store reports it: who holds it and until when its lease runs. A lock past its
 * lease is stale, its run probably gone; it still stands until someone removes it explicitly.
 */
public record HeldLock(LockKey key, Holder holder, Instant expiresAt) {
    public HeldLock {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(holder, "holder");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the lease ran out at or before {@code now}. */
    public boolean stale(Instant now) {
        return !now.isBefore(expiresAt);
    }
}

package dev.dr.lock;

import java.time.Duration;
import java.time.Instant;

/** Another drill holds the lock; the message names it, so the operator can find it. */
public final class LockHeldException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Holder holder;
    private final transient Instant expiresAt;

    public LockHeldException(LockKey key, Holder holder, Instant now) {
        this(key, holder, now, null);
    }

    /**
     * For a store whose locks have a lease: past {@code expiresAt} the message calls the lock
     * stale. It is still held; only {@code dr force-unlock} removes it.
     */
    public LockHeldException(LockKey key, Holder holder, Instant now, Instant expiresAt) {
        super("another drill holds " + key.id() + ": run " + holder.runId() + " by " + holder.operator()
                + ", for " + age(Duration.between(holder.since(), now))
                + (expiresAt != null && !now.isBefore(expiresAt) ? " (stale: expired at " + expiresAt + ")" : "")
                + ". If that run is gone, dr force-unlock " + key.id() + " releases it.");
        this.holder = holder;
        this.expiresAt = expiresAt;
    }

    public Holder holder() {
        return holder;
    }

    /** When the holder's lease runs out, for stores with leases. */
    public java.util.Optional<Instant> expiresAt() {
        return java.util.Optional.ofNullable(expiresAt);
    }

    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    }
}

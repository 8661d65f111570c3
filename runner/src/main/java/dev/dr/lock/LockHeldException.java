package dev.dr.lock;

import java.time.Duration;
import java.time.Instant;

/** Another drill holds the lock; the message names it, so the operator can find it. */
public final class LockHeldException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Holder holder;

    public LockHeldException(LockKey key, Holder holder, Instant now) {
        super("another drill holds " + key.id() + ": run " + holder.runId() + " by " + holder.operator()
                + ", for " + age(Duration.between(holder.since(), now))
                + ". If that run is gone, dr force-unlock " + key.id() + " releases it.");
        this.holder = holder;
    }

    public Holder holder() {
        return holder;
    }

    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 120 ? s + "s" : s < 7200 ? (s / 60) + "m" : (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    }
}

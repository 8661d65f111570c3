package dev.dr.plan.model;

import dev.dr.step.ErrorClass;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How often a phase may be attempted and on which classified errors. Backoff waits
 * {@code initial}, then multiplies by {@code multiplier}, never above {@code max}; jitter
 * only shortens a wait, so the worst case is computed without it.
 */
public record RetryPolicy(int maxAttempts, Backoff backoff, List<ErrorClass> retryOn) {

    public static final int MAX_ATTEMPTS_LIMIT = 10;

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException("maxAttempts must be between 1 and " + MAX_ATTEMPTS_LIMIT + ", was " + maxAttempts);
        }
        Objects.requireNonNull(backoff, "backoff");
        retryOn = List.copyOf(retryOn);
        for (ErrorClass c : retryOn) {
            if (!c.retryable()) {
                throw new IllegalArgumentException("retryOn must not name " + c.id() + ": it is never retried");
            }
        }
    }

    public static RetryPolicy once() {
        return new RetryPolicy(1, Backoff.NONE, List.of());
    }

    /** The same policy with at most {@code cap} attempts. */
    public RetryPolicy capped(int cap) {
        return cap >= maxAttempts ? this : new RetryPolicy(cap, backoff, retryOn);
    }

    /** Wait before attempt {@code n} (2-based: the first attempt never waits). */
    public Duration waitBefore(int n) {
        if (n < 2) {
            return Duration.ZERO;
        }
        double millis = backoff.initial().toMillis() * Math.pow(backoff.multiplier(), n - 2);
        long capped = (long) Math.min(millis, (double) backoff.max().toMillis());
        return Duration.ofMillis(capped);
    }

    /** Sum of the waits between all attempts. */
    public Duration totalWait() {
        Duration d = Duration.ZERO;
        for (int n = 2; n <= maxAttempts; n++) {
            d = d.plus(waitBefore(n));
        }
        return d;
    }

    public record Backoff(Duration initial, double multiplier, Duration max) {
        public static final Backoff NONE = new Backoff(Duration.ZERO, 1, Duration.ZERO);

        public Backoff {
            Objects.requireNonNull(initial, "initial");
            Objects.requireNonNull(max, "max");
            if (multiplier < 1 || multiplier > 10) {
                throw new IllegalArgumentException("multiplier must be between 1 and 10, was " + multiplier);
            }
            if (initial.compareTo(max) > 0) {
                throw new IllegalArgumentException("initial must be <= max, was " + initial + " > " + max);
            }
        }
    }
}

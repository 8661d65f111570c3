package dev.dr.engine;

import dev.dr.plan.model.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * The wait before a retry: the policy's capped exponential wait, shortened by up to 20 % of
 * jitter drawn from the run id, phase and attempt. Deterministic, so a rerun of the same run
 * waits the same; and never longer than the plan-diff's worst case says.
 */
final class Backoff {
    static final double JITTER = 0.2;

    private Backoff() {}

    static Duration before(RetryPolicy policy, int attempt, String runId, String phase) {
        Duration base = policy.waitBefore(attempt);
        double u = unit(runId + "|" + phase + "|" + attempt);
        return Duration.ofMillis((long) (base.toMillis() * (1 - JITTER * u)));
    }

    /** A number in [0, 1) from the first 8 bytes of the SHA-256 of {@code seed}. */
    static double unit(String seed) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (h[i] & 0xff);
            }
            return (bits >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

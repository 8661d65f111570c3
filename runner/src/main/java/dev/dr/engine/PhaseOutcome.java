package dev.dr.engine;

import dev.dr.plan.model.PhaseName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a phase ended, as its receipt records it.
 *
 * @param reasonKind for a skipped phase, one of the fixed skip reasons; for a failed one the
 *                   class of the last failure; null on success
 */
public record PhaseOutcome(PhaseName phase, Status status, String reasonKind, String detail,
                           List<Attempt> attempts, Map<String, String> outputs, Instant startedAt,
                           Instant finishedAt) {

    public enum Status { SUCCESS, FAILED, SKIPPED, INTERRUPTED }

    public PhaseOutcome {
        attempts = List.copyOf(attempts);
        outputs = Map.copyOf(outputs);
    }

    /** The measured RTO of the phase: wall time from its start to its end. */
    public Duration duration() {
        return startedAt == null || finishedAt == null ? Duration.ZERO : Duration.between(startedAt, finishedAt);
    }
}

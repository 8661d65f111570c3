package dev.dr.lock;

import java.time.Instant;
import java.util.Objects;

/** Who holds a lock: the operator, the run, and since when. */
public record Holder(String operator, String runId, Instant since) {
    public Holder {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(since, "since");
    }
}

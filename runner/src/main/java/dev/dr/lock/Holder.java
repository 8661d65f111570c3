package dev.dr.lock;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Who holds a lock: the operator, the run, since when, and the process that took it (absent in
 * locks written before dr recorded it).
 */
public record Holder(String operator, String runId, Instant since, Optional<HolderProcess> process) {
    public Holder {
        Objects.requireNonNull(operator, "operator");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(process, "process");
    }

    public Holder(String operator, String runId, Instant since) {
        this(operator, runId, since, Optional.empty());
    }

    /** Whether the holder still runs, as far as this machine can tell. */
    public HolderProcess.Liveness liveness() {
        return process.map(HolderProcess::liveness).orElse(HolderProcess.Liveness.UNKNOWN);
    }
}

package dev.dr.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One run as its receipts recorded it (run.json, phases/*.json, drill.summary.json), typed: what
 * the report is computed from. Only {@link RunReceipts} reads JSON.
 *
 * @param staticDigest what the run was bound to; empty for receipts written without one
 * @param startedAt    when the run started (run.json, else the summary), empty when neither is there
 * @param summary      the summary the run wrote when it ended; empty for a run that did not end
 * @param phases       the phase receipts, in the order of the phases
 * @param reused       the run id (folder name) of the run whose outputs this one reused
 * @param rerunOf      the run whose unfinished phase this run reran
 */
public record RunRecord(String runId, String planName, String planFile, String planDigest, Optional<String> staticDigest,
                        String operator, Optional<Instant> startedAt, Optional<Summary> summary, List<Phase> phases,
                        Optional<String> reused, Optional<String> rerunOf) {

    public RunRecord {
        phases = List.copyOf(phases);
    }

    /** drill.summary.json. */
    public record Summary(String verdict, Instant startedAt, Instant finishedAt, Duration duration, List<String> phases) {
        public Summary {
            phases = List.copyOf(phases);
        }
    }

    /** phases/&lt;phase&gt;.json. */
    public record Phase(String name, String status, Optional<Reason> reason, Instant startedAt, Instant finishedAt,
                        Duration duration, List<Attempt> attempts, SortedMap<String, String> outputs,
                        Optional<Approval> approval) {
        public Phase {
            attempts = List.copyOf(attempts);
            outputs = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(outputs));
        }

        public boolean ran() {
            return !status.equals("skipped");
        }
    }

    /** Why a phase was skipped, failed or interrupted. */
    public record Reason(String kind, String detail) {}

    /** One attempt of a phase. */
    public record Attempt(int number, String status, String step, Optional<String> errorClass, String message,
                          Instant startedAt, Duration duration) {}

    /** How a phase's approval gate was passed: dr approve, or the drill bypass. */
    public record Approval(String mode, String operator, Instant recordedAt, String planDigest, Optional<String> ticket) {}
}

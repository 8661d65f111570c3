package dev.dr.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The release proof of one run, computed from its receipts once; Markdown and JSON are renderings
 * of it (schema/report.schema.json). A run that is not a whole, successful drill still has a
 * report: {@link #complete()} is false and {@link #gaps()} says what is missing or went wrong.
 *
 * @param phaseTotal the sum of the durations of the phases that ran: the measured RTO
 * @param wallTime   from the start of the first phase that ran to the end of the last one
 * @param gaps       why the run is no complete proof, one sentence each; empty when it is one. A run is a
 *                   complete proof when it ended, every phase succeeded (a promote the plan did not request
 *                   may be skipped) and teardown counted no DR runner left.
 */
public record ProofReport(RunRecord run, String verdict, boolean complete, List<String> gaps, Duration phaseTotal,
                          Optional<Duration> wallTime, Optional<Bundle> bundle, Optional<Validation> validation,
                          Optional<Gate> approval, Optional<Teardown> teardown) {

    /** Output names the steps give these facts under (steps/…: control-plane, k8s.run-job, the runner count). */
    static final String BUNDLE_URI = "control-plane.bundle.uri";
    static final String BUNDLE_SHA = "control-plane.bundle.sha256";
    static final String VALIDATE_JOB = "validate.job";
    static final String RUNNERS_LEFT = "runners.left";

    public ProofReport {
        gaps = List.copyOf(gaps);
    }

    /** The control-plane bundle, and the phase whose receipt names it. */
    public record Bundle(String uri, Optional<String> sha256, String phase) {}

    /** The validate phase: the Job, its status, how many attempts, and the last failure if it failed. */
    public record Validation(String status, Optional<String> job, int attempts, Optional<String> errorClass,
                             Optional<String> message) {}

    /** The phase whose approval gate was passed (promote), and how; empty approval when none was recorded. */
    public record Gate(String phase, String status, Optional<RunRecord.Approval> approval, Optional<RunRecord.Reason> skipped) {}

    /** The teardown phase and the DR runners it counted (empty unless teardown succeeded and counted them). */
    public record Teardown(String status, Optional<Integer> runnersLeft, Optional<RunRecord.Reason> reason) {}

    public static ProofReport of(RunRecord run) {
        List<RunRecord.Phase> ran = run.phases().stream().filter(RunRecord.Phase::ran).toList();
        Duration total = ran.stream().map(RunRecord.Phase::duration).reduce(Duration.ZERO, Duration::plus);
        Optional<Duration> wall = ran.isEmpty() ? Optional.empty() : Optional.of(Duration.between(
                ran.stream().map(RunRecord.Phase::startedAt).min(Instant::compareTo).orElseThrow(),
                ran.stream().map(RunRecord.Phase::finishedAt).max(Instant::compareTo).orElseThrow()));
        String verdict = run.summary().map(RunRecord.Summary::verdict).orElse("unfinished");
        Optional<Teardown> teardown = phase(run, "teardown").map(p -> new Teardown(p.status(),
                p.status().equals("success") ? count(p.outputs().get(RUNNERS_LEFT)) : Optional.empty(), p.reason()));
        List<String> gaps = gaps(run, teardown);
        return new ProofReport(run, verdict, gaps.isEmpty(), gaps, total, wall, bundle(run), validation(run),
                approval(run), teardown);
    }

    private static List<String> gaps(RunRecord run, Optional<Teardown> teardown) {
        List<String> gaps = new ArrayList<>();
        if (run.summary().isEmpty()) {
            gaps.add("The run did not end: there is no drill.summary.json (it was killed, or is still running).");
        }
        if (run.phases().isEmpty()) {
            gaps.add("No phase finished: there are no phase receipts.");
        }
        for (RunRecord.Phase p : run.phases()) {
            if (!p.status().equals("success") && !notRequested(p)) {
                gaps.add("Phase " + p.name() + " " + p.status() + p.reason().map(r -> " (" + r.kind() + ": " + r.detail() + ")").orElse("") + ".");
            }
        }
        if (teardown.isEmpty()) {
            gaps.add("Teardown did not run in this run: the DR runners were not counted.");
        } else if (teardown.get().status().equals("success") && teardown.get().runnersLeft().isEmpty()) {
            gaps.add("Teardown succeeded but its receipt records no runner count (" + RUNNERS_LEFT + ").");
        } else if (teardown.get().runnersLeft().filter(n -> n > 0).isPresent()) {
            gaps.add("Teardown left " + teardown.get().runnersLeft().get() + " DR runners.");
        }
        return gaps;
    }

    /**
     * A promote the plan did not ask for (autoPromote false): a full release drill skips it by
     * design, unlike a phase cut off by the boundaries or by a failure.
     */
    private static boolean notRequested(RunRecord.Phase p) {
        return p.status().equals("skipped") && p.reason().filter(r -> r.kind().equals("promote-not-requested")).isPresent();
    }

    private static Optional<RunRecord.Phase> phase(RunRecord run, String name) {
        return run.phases().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The bundle restore fetched and verified; else the one a phase of this run published. */
    private static Optional<Bundle> bundle(RunRecord run) {
        List<RunRecord.Phase> order = new ArrayList<>();
        phase(run, "restore").ifPresent(order::add);
        run.phases().stream().filter(p -> !p.name().equals("restore")).forEach(order::add);
        for (RunRecord.Phase p : order) {
            String uri = p.outputs().get(BUNDLE_URI);
            if (uri != null) {
                return Optional.of(new Bundle(uri, Optional.ofNullable(p.outputs().get(BUNDLE_SHA)), p.name()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Validation> validation(RunRecord run) {
        return phase(run, "validate").map(p -> {
            Optional<RunRecord.Attempt> last = p.attempts().isEmpty() ? Optional.empty()
                    : Optional.of(p.attempts().get(p.attempts().size() - 1));
            boolean failed = last.filter(a -> !a.status().equals("success")).isPresent();
            return new Validation(p.status(), Optional.ofNullable(p.outputs().get(VALIDATE_JOB)), p.attempts().size(),
                    failed ? last.get().errorClass() : Optional.empty(),
                    failed ? Optional.of(last.get().message()) : Optional.empty());
        });
    }

    /** The approval or recorded bypass of the first phase that has one, else promote's state. */
    private static Optional<Gate> approval(RunRecord run) {
        for (RunRecord.Phase p : run.phases()) {
            if (p.approval().isPresent()) {
                return Optional.of(new Gate(p.name(), p.status(), p.approval(), Optional.empty()));
            }
        }
        return phase(run, "promote").map(p -> new Gate(p.name(), p.status(), Optional.empty(),
                p.ran() ? Optional.empty() : p.reason()));
    }

    private static Optional<Integer> count(String value) {
        if (value == null || !value.matches("[0-9]{1,9}")) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(value));
    }
}

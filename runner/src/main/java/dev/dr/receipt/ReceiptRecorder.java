package dev.dr.receipt;

import dev.dr.engine.Attempt;
import dev.dr.engine.Engine;
import dev.dr.engine.EngineListener;
import dev.dr.engine.PhaseOutcome;
import dev.dr.render.JsonRenderer;
import dev.dr.step.AtomicFiles;
import dev.dr.step.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a run's receipts under {@code <receiptDir>/<runId>/}: {@code phases/<phase>.json}
 * when a phase's outcome is final, {@code phases/<phase>.log} as it runs, and
 * {@code drill.summary.json} at the end (schema/receipt.schema.json). JSON files are written
 * atomically; output values under secret-looking names are masked. Steps write the runbook's
 * own receipt files in the same folder (schema/receipt-runbook.schema.json).
 */
public final class ReceiptRecorder implements EngineListener {

    public static final int FORMAT_VERSION = 1;
    /** The run receipt: what the run is bound to, written before its first phase. */
    public static final String RUN_FILE = "run.json";

    /**
     * What every receipt of the run repeats.
     *
     * @param staticDigest what the run is bound to ({@link StaticDigest}); null leaves it out
     * @param rerunOf      the run whose failed phase this run reruns (from its receipts), or null
     */
    public record RunInfo(String runId, String planName, String planFile, String planDigest, String staticDigest,
                          String operator, java.util.Set<dev.dr.plan.model.PhaseName> bypassedApprovals, String rerunOf) {
        public RunInfo {
            bypassedApprovals = java.util.Set.copyOf(bypassedApprovals);
        }

        public RunInfo(String runId, String planName, String planFile, String planDigest, String operator) {
            this(runId, planName, planFile, planDigest, null, operator, java.util.Set.of(), null);
        }
    }

    private final Path runDir;
    private final RunInfo info;
    private final Clock clock;
    private final Instant started;
    private final List<PhaseOutcome> phases = new ArrayList<>();
    private final JsonNodeFactory f = JsonNodeFactory.instance;

    public ReceiptRecorder(Path runDir, RunInfo info, Clock clock) {
        this.runDir = runDir;
        this.info = info;
        this.clock = clock;
        this.started = clock.instant();
    }

    public Path runDir() {
        return runDir;
    }

    @Override
    public void phaseFinished(PhaseOutcome o) {
        phases.add(o);
        ObjectNode n = header("phase");
        n.put("phase", o.phase().id());
        n.put("status", status(o.status()));
        reason(n, o);
        n.put("startedAt", o.startedAt().toString());
        n.put("finishedAt", o.finishedAt().toString());
        n.put("durationMs", o.duration().toMillis());
        ArrayNode attempts = n.putArray("attempts");
        for (Attempt a : o.attempts()) {
            ObjectNode an = attempts.addObject();
            an.put("number", a.number());
            an.put("status", a.status().name().toLowerCase(Locale.ROOT));
            an.put("step", a.step());
            an.put("errorClass", a.errorClass());
            an.put("message", a.message());
            an.put("startedAt", a.startedAt().toString());
            an.put("durationMs", a.duration().toMillis());
        }
        if (info.bypassedApprovals().contains(o.phase()) && o.status() != PhaseOutcome.Status.SKIPPED) {
            // the drill bypass of the approval gate, recorded as an approval would be
            ObjectNode a = n.putObject("approval");
            a.put("mode", "bypass-recorded");
            a.put("operator", info.operator());
            a.put("recordedAt", o.startedAt().toString());
            a.put("planDigest", info.planDigest());
        } else if (o.status() != PhaseOutcome.Status.SKIPPED) {
            approval(o.phase().id()).ifPresent(ap -> {
                ObjectNode a = n.putObject("approval");
                a.put("mode", "approved");
                a.put("operator", ap.approver());
                a.put("recordedAt", ap.approvedAt());
                a.put("planDigest", ap.planDigest());
                a.put("ticket", ap.ticket());
            });
        }
        ObjectNode outputs = n.putObject("outputs");
        new java.util.TreeMap<>(o.outputs()).forEach((k, v) -> outputs.put(k, Secrets.isSecretName(k) ? "(sensitive value)" : v));
        write(runDir.resolve("phases").resolve(o.phase().id() + ".json"), n);
    }

    /** The approval dr approve recorded for the phase, if any. */
    private java.util.Optional<dev.dr.approval.Approval> approval(String phase) {
        try {
            return new dev.dr.approval.ApprovalStore(runDir).find(phase);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void log(String phase, String line) {
        Path log = runDir.resolve("phases").resolve(phase + ".log");
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, clock.instant() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * run.json, written when the run starts (and again when it is resumed), before any phase:
     * what the run is bound to, even when it is killed before its first phase receipt, and the
     * run whose outputs it reused.
     */
    public Path writeRunStarted(java.util.Optional<Path> fromReceipt) {
        ObjectNode n = header("run");
        n.put("startedAt", started.toString());
        // whose outputs this run reused: a later run that reuses this one's receipts gets them too
        fromReceipt.ifPresent(f -> n.put("fromReceipt", f.toAbsolutePath().normalize().toString()));
        Path run = runDir.resolve(RUN_FILE);
        write(run, n);
        return run;
    }

    /** drill.summary.json: per-phase status and duration (the measured RTO of each) and the verdict. */
    public Path writeSummary(Engine.Verdict verdict) {
        ObjectNode n = header("summary");
        n.put("verdict", verdict.name().toLowerCase(Locale.ROOT));
        Instant finished = clock.instant();
        n.put("startedAt", started.toString());
        n.put("finishedAt", finished.toString());
        n.put("durationMs", Duration.between(started, finished).toMillis());
        ArrayNode arr = n.putArray("phases");
        for (PhaseOutcome o : phases) {
            ObjectNode p = arr.addObject();
            p.put("name", o.phase().id());
            p.put("status", status(o.status()));
            reason(p, o);
            p.put("durationMs", o.duration().toMillis());
            p.put("attempts", o.attempts().size());
        }
        Path summary = runDir.resolve("drill.summary.json");
        write(summary, n);
        return summary;
    }

    private ObjectNode header(String kind) {
        ObjectNode n = f.objectNode();
        n.put("formatVersion", FORMAT_VERSION);
        n.put("kind", kind);
        n.put("runId", info.runId());
        ObjectNode plan = n.putObject("plan");
        plan.put("name", info.planName());
        plan.put("file", info.planFile());
        n.put("planDigest", info.planDigest());
        if (info.staticDigest() != null) {
            n.put("staticDigest", info.staticDigest());
        }
        n.put("operator", info.operator());
        if (info.rerunOf() != null) {
            n.put("rerunOf", info.rerunOf());
        }
        return n;
    }

    private static void reason(ObjectNode n, PhaseOutcome o) {
        if (o.reasonKind() == null) {
            n.putNull("reason");
        } else {
            n.putObject("reason").put("kind", o.reasonKind()).put("detail", o.detail());
        }
    }

    private static String status(PhaseOutcome.Status s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static void write(Path file, ObjectNode n) {
        try {
            AtomicFiles.write(file, new JsonRenderer().render(n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void phaseReused(PhaseOutcome o) {
        phases.add(o); // its receipt is already on disk, written by the run being resumed
    }
}

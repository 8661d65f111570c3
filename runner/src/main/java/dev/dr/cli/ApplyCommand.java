package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.diff.PhaseDecision;
import dev.dr.diff.PlanDiff;
import dev.dr.engine.Engine;
import dev.dr.engine.PhaseOutcome;
import dev.dr.engine.StepHandoff;
import dev.dr.lock.Holder;
import dev.dr.lock.HolderProcess;
import dev.dr.lock.LockKey;
import dev.dr.lock.LockStore;
import dev.dr.lock.LockStores;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import dev.dr.plan.validate.FolderCheck;
import dev.dr.source.Problem;
import dev.dr.receipt.ReceiptRecorder;
import dev.dr.receipt.ReceiptUpload;
import dev.dr.receipt.StaticDigest;
import dev.dr.render.Style;
import dev.dr.render.TextRenderer;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dr apply}: the plan-diff first, then the checks, the lock and the confirmation, then
 * the engine's run and its receipts. Each of those is a collaborator of its own; this class
 * is the order they come in.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Print the plan-diff, ask for confirmation, then run the phases and write receipts.",
        footer = {"", "Examples:",
                "  dr apply plans/bringup-only.yaml",
                "  dr apply plans/validate-only.yaml --receipt-dir receipts/<bringup run id> --yes"})
final class ApplyCommand implements Callable<Integer> {

    private final Context ctx;

    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file, or a plan saved by dr plan --out.")
    String file;

    @Option(names = "--yes", description = "Apply without asking (needed when there is no terminal).")
    boolean yes;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in <receiptDir>/<runId> under the same plan, inputs and flags (its static"
                    + " digest): keep the phases that succeeded, rerun from the first that did not.")
    String resume;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig of the DR cluster, instead of the one in the bringup receipt's (--receipt-dir,"
                    + " --from-receipt). A DR plan never reads KUBECONFIG or ~/.kube/config.")
    String kubeconfig;

    // dr failback's flags (it runs apply with them). Hidden here, yet taken: a failback run is
    // continued with dr apply --resume, or rerun with the command a refused resume prints.
    @Option(names = "--confirm1", hidden = true, description = "First failback confirmation: FAILBACK.")
    String confirm1;

    @Option(names = "--confirm2", hidden = true, description = "Second failback confirmation: CONFIRM-<dr_run_id>.")
    String confirm2;

    @Option(names = "--dr-run-id", hidden = true, description = "The DR run a failback returns from.")
    String drRunId;

    @Option(names = "--upload-receipts", paramLabel = "S3_URI",
            description = "When the command ends, whatever its result, upload the run's phase receipts and a record of"
                    + " what this worker did (codebuild-<phase>.json) to this folder:"
                    + " s3://<receipt_bucket>/<receipt_prefix>/<execution_id>, as the orchestrator's workers do. A failed"
                    + " upload is said on stderr and leaves the exit code as it is.")
    String uploadReceipts;

    @Mixin
    OverrideOptions overrides;

    /** What the upload's action record says; filled in as the command goes. */
    private final WorkerRecord record = new WorkerRecord();

    ApplyCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (uploadReceipts == null) {
            return apply();
        }
        ReceiptUpload upload;
        try {
            upload = ReceiptUpload.to(uploadReceipts, ctx.env());
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput("--upload-receipts: " + e.getMessage() + "; nothing was run");
        }
        Instant started = Instant.now();
        int code = ExitCodes.INTERNAL;
        try {
            code = apply();
            return code;
        } catch (ExitException e) {
            code = e.code();
            throw e;
        } finally {
            // after the receipts are written locally, whatever the result; a failed upload changes no exit code
            ctx.out().flush();
            upload.upload(record.worker(code, started, Instant.now(), ctx), record.region(), ctx.err());
        }
    }

    private int apply() throws IOException {
        // what the live previews leave for the applies (a saved terraform plan): gone when the command ends
        try (StepHandoff handoff = StepHandoff.create()) {
            return apply(handoff);
        }
    }

    private int apply(StepHandoff handoff) throws IOException {
        SavedPlan saved = SavedPlan.in(ctx, file);
        Overrides given = overrides(saved);
        record.asked(given);
        StepCatalog steps = StepCatalog.load(ApplyCommand.class.getClassLoader());
        String planFile = saved != null ? saved.file() : file;
        LoadedPlan loaded = load(steps, planFile, given);
        Plan plan = loaded.plan().orElseThrow();
        record.plan(plan, ctx);
        String bound = StaticDigest.of(loaded, steering());
        Resume resumption = resumption();
        Optional<ResumedRun> resumed = resumption.run();
        // The whole plan-diff comes first, whatever happens next.
        PlanDiff diff = diff(loaded, steps, resumed, handoff);
        ctx.out().print(new TextRenderer(new Style(ctx.color())).render(diff));
        ctx.out().flush();
        if (resumption.unreadable().isPresent()) {
            throw ExitException.invalidInput("cannot resume: " + resumption.unreadable().get() + "; nothing was run");
        }
        RunStart.Digests digests = new RunStart.Digests(diff.planDigest(), bound);
        record.planDigest(diff.planDigest());
        ApplyPreconditions.savedPlanHolds(saved, file, digests.plan());
        if (loaded.onlyGuardsRefused()) {
            ProblemPrinter.print(ctx.err(), loaded.errors());
            throw ExitException.guardRefused("a guard refused this plan; nothing was run");
        }
        // what the plan-diff showed is what runs: its decisions, not a second call of the planner
        List<PhaseDecision> decisions = diff.decisions(plan);
        record.decided(decisions);
        // a failback's two confirmations before any guard's verdict: a refused failback says first what it lacks
        FailbackConfirmations.check(ctx, plan, decisions, confirm1, confirm2, drRunId);
        if (!diff.refusedGuards().isEmpty()) {
            throw RunStart.guardFailed(ctx, plan, decisions, digests, diff.refusedGuards(), null, Set.of());
        }
        ApplyPreconditions.noUnsetVariables(loaded);
        if (resumed.isPresent() && resumed.get().mismatch(bound).isPresent()) {
            RerunCommand.refuse(ctx.err(), resumed.get(), bound, decisions, planFile, given, rerunFlags(), ctx.env());
            throw ExitException.reported(ExitCodes.GUARD_REFUSED);
        }
        if (diff.summary().phasesToRun() == 0) {
            ctx.err().println("dr: no phase runs within the plan's boundaries; nothing to do");
            return ExitCodes.OK;
        }
        boolean cluster = ApplyPreconditions.outputsGiven(decisions, steps, startingOutputs(plan, resumed), ctx.env());
        ApplyPreconditions.kubeconfigIgnored(cluster, ctx.env()).ifPresent(ctx.err()::println);
        OperatorConfirmation.confirm(ctx, yes);
        Engine.Outcome outcome = run(loaded, decisions, digests, steps, resumed.orElse(null), handoff);
        if (outcome.verdict() == Engine.Verdict.SUCCESS) {
            return ExitCodes.OK;
        }
        return StalePreview.refusal(outcome).map(phase -> {
            ctx.err().println("dr: " + phase + ": live state changed since the plan-diff was shown, so what it showed was"
                    + " not applied; run dr apply again to see the plan-diff of the state as it is now");
            return ExitCodes.GUARD_REFUSED;
        }).orElse(ExitCodes.PHASE_FAILED);
    }

    /** The overrides: a saved plan's, fixed by dr plan --out, or the command line's. */
    private Overrides overrides(SavedPlan saved) {
        if (saved != null && overrides.any()) {
            throw ExitException.invalidInput(file + " is a saved plan; its overrides were fixed by dr plan --out."
                    + " Give them to dr plan instead. Nothing was run.");
        }
        try {
            return saved != null ? saved.overrides() : overrides.toOverrides(ctx.env(), ctx.cwd());
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput(e.getMessage());
        }
    }

    private LoadedPlan load(StepCatalog steps, String planFile, Overrides given) {
        String display = PlanCommand.display(planFile);
        LoadedPlan loaded = new PlanLoader(steps).load(ctx.resolve(planFile), display, ctx.env(), given);
        if (loaded.plan().isEmpty()) {
            ProblemPrinter.print(ctx.err(), loaded.problems());
            throw ExitException.invalidInput(display + " is invalid; nothing was run");
        }
        ProblemPrinter.print(ctx.err(), loaded.warnings());
        List<PhaseDecision> planned = dev.dr.diff.Planner.decide(loaded.plan().orElseThrow());
        List<Problem> missing = FolderCheck.missing(loaded, running(planned), steps, ctx::resolve, Problem.Severity.ERROR);
        if (!missing.isEmpty()) {
            ProblemPrinter.print(ctx.err(), missing);
            throw ExitException.invalidInput(display + " names " + (missing.size() == 1 ? "a folder" : "folders")
                    + " that this working directory does not have; nothing was run");
        }
        ProblemPrinter.printUnreadVariables(ctx, loaded, planned, steps);
        return loaded;
    }

    /** The phases the planner runs: the folders of the others are not needed by this run. */
    static List<dev.dr.plan.model.Phase> running(List<PhaseDecision> decisions) {
        return decisions.stream().filter(PhaseDecision::runs).map(PhaseDecision::phase).toList();
    }

    /** The run --resume names (none without it), or why it cannot be read: said after the plan-diff. */
    private record Resume(Optional<ResumedRun> run, Optional<String> unreadable) {}

    private Resume resumption() {
        if (resume == null) {
            return new Resume(Optional.empty(), Optional.empty());
        }
        try {
            return new Resume(Optional.of(ResumedRun.read(ctx.resolve(resume).normalize())), Optional.empty());
        } catch (IOException e) {
            return new Resume(Optional.empty(), Optional.of(e.getMessage()));
        }
    }

    /** The plan-diff, with the AWS guards read live; a resume's sees the state the run left through its kept outputs. */
    private PlanDiff diff(LoadedPlan loaded, StepCatalog steps, Optional<ResumedRun> resumed, StepHandoff handoff) {
        Map<String, String> earlier = ReusedReceipt.previewOutputs(ctx, loaded.plan().orElseThrow());
        if (kubeconfig != null) {
            // the cluster the run will change is the one the plan-diff must show: --kubeconfig over the receipt's
            earlier = new LinkedHashMap<>(earlier);
            earlier.put("kubeconfig", ctx.resolve(kubeconfig).toString());
        }
        if (resumed.isEmpty()) {
            return kubeconfig == null ? LivePlanDiff.buildWithGuards(ctx, loaded, steps, earlier, Optional.of(handoff))
                    : LivePlanDiff.buildWithGuardsPreviewing(ctx, loaded, steps, earlier, Optional.of(handoff));
        }
        Map<String, String> live = new LinkedHashMap<>(earlier);
        live.putAll(resumed.get().keptOutputs());
        return LivePlanDiff.buildForResume(ctx, loaded, steps, live, resumed.get().dir().resolve("work"),
                Optional.of(handoff));
    }

    /** The run itself: its folder, the run it reuses, its lock, the guards again, then the engine. */
    private Engine.Outcome run(LoadedPlan loaded, List<PhaseDecision> decisions, RunStart.Digests digests,
                               StepCatalog steps, ResumedRun resumed, StepHandoff handoff) throws IOException {
        Plan plan = loaded.plan().orElseThrow();
        Clock clock = Clock.systemUTC();
        String operator = RunStart.operator(ctx.env());
        RunStart.Folder folder = resumed != null ? new RunStart.Folder(resumed.id(), resumed.dir())
                : RunStart.newRun(ctx, plan, clock);
        record.run(folder.id(), folder.dir());
        Map<PhaseName, PhaseOutcome> kept = resumed != null ? resumed.kept() : Map.of();
        ReusedReceipt reused = ReusedReceipt.read(ctx, loaded, decisions, kubeconfig);
        LockKey key = new LockKey(plan.target().accountId(), plan.target().region(), plan.target().namespace());
        LockStore locks = LockStores.select(ctx.env(), key.region(), clock);
        // a resume continues its own run; a rerun of a killed run's phase continues that run
        Set<String> continues = new HashSet<>();
        if (resumed != null) {
            continues.add(folder.id());
        }
        if (reused.rerunOf() != null) {
            continues.add(reused.rerunOf());
        }
        LockStore.Lease lease = RunLock.take(ctx.err(), locks, key,
                new Holder(operator, folder.id(), clock.instant(), Optional.of(HolderProcess.current())), continues);
        // the guards again, right before the first mutation
        Map<String, String> seen = new LinkedHashMap<>(reused.outputs());
        kept.values().forEach(o -> seen.putAll(o.outputs()));
        List<String> refusedNow = LiveGuards.refusedNow(loaded, decisions, seen);
        if (!refusedNow.isEmpty()) {
            try (lease) {
                throw RunStart.guardFailed(ctx, plan, decisions, digests, refusedNow, folder, kept.keySet());
            }
        }
        ReceiptRecorder recorder = new ReceiptRecorder(folder.dir(),
                new ReceiptRecorder.RunInfo(folder.id(), plan.metadata().name(), plan.file(), digests.plan(),
                        digests.bound(), operator, RunApproval.bypassed(plan), reused.rerunOf()), clock);
        recorder.writeRunStarted(reused.dir());
        Progress progress = new Progress(ctx.err(), recorder, clock, ctx.tty());
        Engine engine = new Engine(steps, clock, d -> Thread.sleep(d.toMillis()), progress,
                RunApproval.gate(ctx, plan, folder.dir(), digests.plan(),
                        resumed == null ? Set.of() : resumed.planDigests(), clock));
        return EngineRun.run(ctx, engine, progress, recorder, RunLock.releasedWithWarning(ctx.err(), lease, key), plan,
                decisions, new Engine.Run(folder.id(), loaded.attemptCap(), reused.outputs(), folder.dir().resolve("work"),
                        kept, folder.dir(), Optional.of(handoff)));
    }

    /** The outputs a run starts with: the reused run's, a resumed run's kept phases', --kubeconfig. */
    private Set<String> startingOutputs(Plan plan, Optional<ResumedRun> resumed) {
        Set<String> out = new HashSet<>(ReusedReceipt.previewOutputs(ctx, plan).keySet());
        resumed.ifPresent(r -> out.addAll(r.keptOutputs().keySet()));
        if (kubeconfig != null) {
            out.add(ApplyPreconditions.KUBECONFIG);
        }
        return out;
    }

    /** The apply flags that steer a run beyond the plan and its overrides: part of its static digest. */
    private Map<String, String> steering() {
        Map<String, String> out = new TreeMap<>();
        if (kubeconfig != null) {
            out.put("--kubeconfig", ctx.resolve(kubeconfig).normalize().toString());
        }
        if (drRunId != null) {
            out.put("--dr-run-id", drRunId);
        }
        return out;
    }

    /** The flags of this command that a rerun of the refused resume's unfinished phase still needs. */
    private List<String> rerunFlags() {
        List<String> flags = new ArrayList<>();
        if (yes) {
            flags.add("--yes");
        }
        steering().forEach((k, v) -> flags.addAll(List.of(k, v)));
        if (confirm1 != null) {
            flags.addAll(List.of("--confirm1", confirm1));
        }
        if (confirm2 != null) {
            flags.addAll(List.of("--confirm2", confirm2));
        }
        return flags;
    }
}

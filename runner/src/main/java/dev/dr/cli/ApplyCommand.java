package dev.dr.cli;

import dev.dr.diff.Guards;
import dev.dr.diff.PhaseDecision;
import dev.dr.diff.Planner;
import dev.dr.engine.Engine;
import dev.dr.lock.Holder;
import dev.dr.lock.LockKey;
import dev.dr.lock.LockStore;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.StepUse;
import dev.dr.receipt.ReceiptRecorder;
import dev.dr.receipt.StaticDigest;
import dev.dr.render.Style;
import dev.dr.render.TextRenderer;
import dev.dr.step.StepCatalog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = "Print the plan-diff, ask for confirmation, then run the phases and write receipts.",
        footer = {"", "Examples:",
                "  dr apply plans/bringup-only.yaml",
                "  dr apply plans/validate-only.yaml --from-receipt receipts/<bringup run id> --yes"})
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

    @Option(names = "--confirm1", paramLabel = "FAILBACK", description = "First failback confirmation: FAILBACK.")
    String confirm1;

    @Option(names = "--confirm2", paramLabel = "CONFIRM-ID", description = "Second failback confirmation: CONFIRM-<dr_run_id>.")
    String confirm2;

    @Option(names = "--dr-run-id", paramLabel = "ID",
            description = "The DR run a failback returns from (default: the folder name of --from-receipt).")
    String drRunId;

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "Kubeconfig of the DR cluster, instead of the one in the --from-receipt run's receipts.")
    String kubeconfig;

    @Mixin
    OverrideOptions overrides;

    ApplyCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        SavedPlan saved = savedPlan();
        Overrides given;
        try {
            given = saved != null ? saved.overrides() : overrides.toOverrides(ctx.env());
        } catch (IllegalArgumentException e) {
            ctx.err().println("dr: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if (saved != null && overrides.any()) {
            ctx.err().println("dr: " + file + " is a saved plan; its overrides were fixed by dr plan --out."
                    + " Give them to dr plan instead. Nothing was run.");
            return ExitCodes.INVALID;
        }
        StepCatalog steps = StepCatalog.load(ApplyCommand.class.getClassLoader());
        String planFile = saved != null ? saved.file() : file;
        String display = PlanCommand.display(planFile);
        LoadedPlan loaded = new PlanLoader(steps).load(ctx.resolve(planFile), display, ctx.env(), given);
        if (loaded.plan().isEmpty()) {
            ProblemPrinter.print(ctx.err(), loaded.problems());
            ctx.err().println("dr: " + display + " is invalid; nothing was run");
            return ExitCodes.INVALID;
        }
        ProblemPrinter.print(ctx.err(), loaded.warnings());
        // The whole plan-diff comes first, whatever happens next.
        Plan plan = loaded.plan().get();
        String bound = StaticDigest.of(loaded, steering());
        ResumedRun resumed = null;
        String unreadable = null; // said after the plan-diff
        if (resume != null) {
            try {
                resumed = ResumedRun.read(ctx.resolve(resume).normalize());
            } catch (IOException e) {
                unreadable = e.getMessage();
            }
        }
        // the AWS guards, live (read-only), in the plan-diff; again right before the first mutation
        Map<String, String> earlier = earlierOutputs(plan);
        ObjectNode diff;
        if (resumed == null) {
            diff = LivePlanDiff.buildWithGuards(ctx, loaded, steps, earlier);
        } else {
            // fresh previews of the live state the resumed run left, seen through its kept phases' outputs
            Map<String, String> live = new java.util.LinkedHashMap<>(earlier);
            live.putAll(resumed.keptOutputs());
            diff = LivePlanDiff.buildForResume(ctx, loaded, steps, live, resumed.dir().resolve("work"));
        }
        ctx.out().print(new TextRenderer(new Style(ctx.color())).render(diff));
        ctx.out().flush();
        if (unreadable != null) {
            ctx.err().println("dr: cannot resume: " + unreadable + "; nothing was run");
            return ExitCodes.INVALID;
        }
        String digest = diff.get("planDigest").asString();
        if (saved != null && !saved.planDigest().equals(digest)) {
            ctx.err().println("dr: the plan no longer gives the saved plan-diff: " + file + " has planDigest "
                    + saved.planDigest() + ", the plan now gives " + digest + ". The plan, a plan it extends or a"
                    + " variable it reads changed since dr plan --out; preview it again. Nothing was run.");
            return ExitCodes.GUARD_REFUSED;
        }
        if (loaded.onlyGuardsRefused()) {
            ProblemPrinter.print(ctx.err(), loaded.errors());
            ctx.err().println("dr: a guard refused this plan; nothing was run");
            return ExitCodes.GUARD_REFUSED;
        }
        List<PhaseDecision> decisions = Planner.decide(plan);
        if (!Guards.refused(diff).isEmpty()) {
            return RunStart.guardFailed(ctx, plan, decisions, new RunStart.Digests(digest, bound), Guards.refused(diff),
                    null, java.util.Set.of());
        }
        Integer refused = refusal(plan, loaded, decisions, steps);
        if (refused != null) {
            return refused;
        }
        if (resumed != null && resumed.mismatch(bound).isPresent()) {
            return resumeRefused(resumed, bound, decisions, planFile, given);
        }
        if (diff.get("summary").get("phasesToRun").asInt() == 0) {
            ctx.err().println("dr: no phase runs within the plan's boundaries; nothing to do");
            return ExitCodes.OK;
        }
        Integer unconfirmed = FailbackConfirmations.check(ctx, plan, decisions, confirm1, confirm2, drRunId);
        if (unconfirmed != null) {
            return unconfirmed;
        }
        Integer declined = confirm();
        if (declined != null) {
            return declined;
        }
        return run(plan, decisions, loaded, new RunStart.Digests(digest, bound), steps, resumed);
    }

    /** The apply flags that steer a run beyond the plan and its overrides: part of its static digest. */
    private Map<String, String> steering() {
        Map<String, String> out = new java.util.TreeMap<>();
        if (kubeconfig != null) {
            out.put("--kubeconfig", ctx.resolve(kubeconfig).normalize().toString());
        }
        if (drRunId != null) {
            out.put("--dr-run-id", drRunId);
        }
        return out;
    }

    /** The plan the resumed run was bound to changed: say so, and how to rerun its unfinished phase. */
    private int resumeRefused(ResumedRun resumed, String bound, List<PhaseDecision> decisions, String planFile,
                              Overrides given) {
        List<String> flags = new java.util.ArrayList<>();
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
        RerunCommand.refuse(ctx.err(), resumed, bound, decisions, planFile, given, flags, ctx.env());
        return ExitCodes.GUARD_REFUSED;
    }

    /** Why apply must not start (after saying so), or null: every check needs only the plan and the step classes. */
    private Integer refusal(Plan plan, LoadedPlan loaded, List<PhaseDecision> decisions, StepCatalog steps) {
        if (!loaded.unset().isEmpty()) {
            ctx.err().println("dr: apply refuses to run with unset variables: " + String.join(", ", loaded.unset())
                    + "; set them, or give the plan a default (${VAR:-value}); nothing was run");
            return ExitCodes.INVALID;
        }
        TreeSet<String> missing = new TreeSet<>();
        for (PhaseDecision d : decisions) {
            if (d.runs()) {
                for (StepUse use : d.phase().steps()) {
                    if (steps.implementation(use.uses()).isEmpty()) {
                        missing.add(use.uses());
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            ctx.err().println("dr: cannot apply: steps not implemented yet: " + String.join(", ", missing)
                    + "; nothing was run");
            return ExitCodes.INVALID;
        }
        return null;
    }

    /** The saved plan FILE holds, or null when FILE is a plan. */
    private SavedPlan savedPlan() throws IOException {
        Path p = ctx.resolve(file);
        if (!file.endsWith(".json") || !java.nio.file.Files.isRegularFile(p)) {
            return null;
        }
        String text = java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
        return SavedPlan.looksLikeOne(text) ? SavedPlan.parse(text) : null;
    }

    /** Null when the operator confirmed; otherwise the exit code. */
    private Integer confirm() throws IOException {
        if (yes) {
            return null;
        }
        if (!ctx.tty()) {
            ctx.err().println("dr: no terminal to confirm on; pass --yes to apply without a prompt. Nothing was run.");
            return ExitCodes.INVALID;
        }
        ctx.err().print("Apply this plan? Only 'yes' is accepted: ");
        ctx.err().flush();
        String answer = ctx.in().readLine();
        if (!"yes".equals(answer == null ? null : answer.strip())) {
            ctx.err().println("dr: apply cancelled; nothing was run");
            return ExitCodes.GUARD_REFUSED;
        }
        return null;
    }

    private int run(Plan plan, List<PhaseDecision> decisions, LoadedPlan loaded, RunStart.Digests digests, StepCatalog steps,
                    ResumedRun resumed) throws IOException {
        Clock clock = Clock.systemUTC();
        String operator = operator();
        String planDigest = digests.plan();
        RunStart.Folder folder = resumed != null ? new RunStart.Folder(resumed.id(), resumed.dir())
                : RunStart.newRun(ctx, plan, clock);
        if (folder == null) {
            return ExitCodes.INVALID;
        }
        String runId = folder.id();
        Path runDir = folder.dir();
        Map<dev.dr.plan.model.PhaseName, dev.dr.engine.PhaseOutcome> succeeded = resumed != null ? resumed.kept() : Map.of();
        Map<String, String> earlier = Map.of();
        java.util.Optional<Path> reused = java.util.Optional.empty();
        String rerunOf = null;
        if (!plan.run().fromReceipt().isEmpty()) {
            reused = java.util.Optional.of(ctx.cwd().resolve(plan.run().fromReceipt()).normalize());
            try {
                earlier = dev.dr.receipt.ReceiptReader.outputs(reused.get());
            } catch (IOException e) {
                boolean secret = loaded.sensitive().contains(dev.dr.plan.source.NodePath.of("run", "fromReceipt"));
                ctx.err().println("dr: cannot reuse run.fromReceipt: "
                        + (secret ? "it names no readable receipt" : e.getMessage()) + "; nothing was run");
                return ExitCodes.INVALID;
            }
            if (ResumedRun.leftUnfinished(reused.get(), decisions)) {
                rerunOf = reused.get().getFileName().toString();
            }
        }
        if (kubeconfig != null) {
            // an explicit kubeconfig wins over the one of an earlier run
            Map<String, String> withKubeconfig = new java.util.LinkedHashMap<>(earlier);
            withKubeconfig.put("kubeconfig", ctx.resolve(kubeconfig).toString());
            earlier = withKubeconfig;
        }
        LockKey key = new LockKey(plan.target().accountId(), plan.target().region(), plan.target().namespace());
        LockStore locks = dev.dr.lock.LockStores.select(ctx.env(), key.region(), clock);
        // a resume continues its own run; a rerun of a killed run's phase continues that run
        java.util.Set<String> continues = new java.util.HashSet<>();
        if (resumed != null) {
            continues.add(runId);
        }
        if (rerunOf != null) {
            continues.add(rerunOf);
        }
        LockStore.Lease lease = RunLock.take(ctx.err(), locks, key,
                new Holder(operator, runId, clock.instant(), java.util.Optional.of(dev.dr.lock.HolderProcess.current())),
                continues);
        if (lease == null) {
            return ExitCodes.GUARD_REFUSED;
        }
        Map<String, String> seen = new java.util.LinkedHashMap<>(earlier);
        succeeded.values().forEach(o -> seen.putAll(o.outputs()));
        Map<String, dev.dr.diff.Guards.Verdict> again = LiveGuards.masked(LiveGuards.check(plan, decisions, seen), loaded);
        List<String> refusedNow = again.entrySet().stream().filter(e -> !e.getValue().ok())
                .map(e -> e.getKey() + ": " + e.getValue().detail()).toList();
        if (!refusedNow.isEmpty()) {
            try (lease) {
                return RunStart.guardFailed(ctx, plan, decisions, digests, refusedNow, new RunStart.Folder(runId, runDir),
                        succeeded.keySet());
            }
        }
        ReceiptRecorder recorder = new ReceiptRecorder(runDir,
                new ReceiptRecorder.RunInfo(runId, plan.metadata().name(), plan.file(), planDigest, digests.bound(), operator,
                        bypassed(plan), rerunOf), clock);
        recorder.writeRunStarted(reused);
        Progress progress = new Progress(ctx.err(), recorder, clock, ctx.tty());
        java.util.Set<dev.dr.plan.model.PhaseName> bypassed = bypassed(plan);
        dev.dr.approval.FileApprovalGate files = new dev.dr.approval.FileApprovalGate(
                new dev.dr.approval.ApprovalStore(runDir), planDigest, earlierDigests(resumed), clock, line -> {
                    ctx.err().println("  " + line);
                    ctx.err().flush();
                });
        // a drill with allowPromoteBypass passes the gate; its receipt records the bypass
        dev.dr.engine.ApprovalGate gate = (phase, id) -> bypassed.contains(phase.name()) ? null : files.await(phase, id);
        Engine engine = new Engine(steps, clock, d -> Thread.sleep(d.toMillis()), progress, gate);
        CountDownLatch finished = new CountDownLatch(1);
        // Ctrl-C ends the running step; the hook waits until the receipts are written and the lock released.
        Thread hook = new Thread(() -> {
            engine.interrupt();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dr-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        Engine.Verdict verdict;
        // a lock that cannot be released (its store is down) must not hide how the run went
        LockStore.Lease release = () -> {
            try {
                lease.close();
            } catch (IOException e) {
                ctx.err().println("dr: warning: the lock " + key.id() + " was not released: " + e.getMessage()
                        + "; once the run is over, remove it with dr force-unlock " + key.id());
            }
        };
        try (release) {
            ctx.err().println("dr: run " + runId + " started; receipts in " + runDir);
            Engine.Outcome outcome = engine.run(plan, decisions,
                    new Engine.Run(runId, loaded.attemptCap(), earlier, runDir.resolve("work"), succeeded));
            verdict = outcome.verdict();
            progress.close();
            Path summary = recorder.writeSummary(verdict);
            ctx.out().println();
            ctx.out().println("Run " + runId + ": " + verdict.name().toLowerCase(java.util.Locale.ROOT));
            ctx.out().println("Receipts: " + runDir);
            ctx.out().println("Summary:  " + summary);
            ctx.out().flush();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook is running
            }
        }
        return verdict == Engine.Verdict.SUCCESS ? ExitCodes.OK : ExitCodes.PHASE_FAILED;
    }

    /**
     * The planDigests the resumed run ran under before: an approval given for one of them still
     * opens its gate, since the run (its static digest) is the same and only live state moved.
     */
    private static java.util.Set<String> earlierDigests(ResumedRun resumed) {
        return resumed == null ? java.util.Set.of() : resumed.planDigests();
    }

    /** Outputs of the run named by run.fromReceipt, or none (a problem with it is reported later, by the run). */
    private Map<String, String> earlierOutputs(Plan plan) {
        if (plan.run().fromReceipt().isEmpty()) {
            return Map.of();
        }
        try {
            return dev.dr.receipt.ReceiptReader.outputs(ctx.cwd().resolve(plan.run().fromReceipt()));
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** Phases whose approval gate the plan bypasses (a drill with allowPromoteBypass). */
    private static java.util.Set<dev.dr.plan.model.PhaseName> bypassed(Plan plan) {
        java.util.Set<dev.dr.plan.model.PhaseName> out = java.util.EnumSet.noneOf(dev.dr.plan.model.PhaseName.class);
        for (var p : plan.phases()) {
            if (p.approval() != null && p.approval().required() && plan.run().allowPromoteBypass()) {
                out.add(p.name());
            }
        }
        return out;
    }

    private String operator() {
        return RunStart.operator(ctx.env());
    }
}

package dev.dr.steps.terraform;

import dev.dr.step.Change;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What both terraform steps do in the folder {@code with.dir}: init (with the runbook's remote
 * backend when the environment names it), plan into a saved file, read that file back with
 * {@code show -json}, and apply exactly that file, so what runs is what was logged.
 *
 * <p>A preview plans without taking the state lock, in the step's handoff folder when dr apply
 * gives one (the saved plan its apply then applies) or else in a temporary folder (plan file and
 * terraform's data folder), so it changes no infrastructure, no lock table and no file of the
 * terraform folder or of the receipts.
 */
final class TerraformWork {
    /** The preview's saved plan in the step's handoff folder, and terraform's data folder beside it. */
    static final String SAVED_PLAN = "tfplan";
    static final String DATA_DIR = "data";
    /** In the run's work folder of a terraform folder: this run applied a plan to it (the file's time says when). */
    static final String APPLIED = "applied";

    /** What terraform steps read from the environment: RemoteBackend's TF_BACKEND_*, and TF_VAR_* for terraform. */
    static final java.util.List<String> ENVIRONMENT = java.util.List.of("TF_BACKEND_*", "TF_VAR_*");

    private final StepContext ctx;
    private final Path dir;
    private final Terraform tf;
    private final Optional<RemoteBackend> backend;
    private final List<String> vars;
    private final boolean preview;
    private Masker masker;

    private TerraformWork(StepContext ctx, TerraformSettings settings, Path binary, Map<String, String> extraEnv,
                          boolean preview) {
        this.ctx = ctx;
        this.dir = settings.dir();
        this.preview = preview;
        this.backend = settings.backend();
        this.vars = settings.varArgs();
        this.masker = settings.masker();
        Map<String, String> childEnv = new HashMap<>(extraEnv);
        // the provider's region is the plan's, as the runbook exports AWS_REGION before bringup
        settings.region().ifPresent(r -> {
            childEnv.put("AWS_REGION", r);
            childEnv.put("AWS_DEFAULT_REGION", r);
        });
        this.tf = new Terraform(binary, dir, childEnv, ctx::log, ctx::progress);
    }

    /**
     * The preview's changes, or empty (the offline declaration stands) without the folder or
     * terraform. With a handoff folder (dr apply) the saved plan and terraform's data folder stay
     * there, owner-only, for the apply of the same step; otherwise they go with a temporary folder.
     */
    static Optional<List<Change>> preview(StepContext ctx, Map<String, String> env, boolean destroy)
            throws StepFailure, InterruptedException {
        Optional<Path> binary = Terraform.onPath(env.get("PATH"));
        if (!Files.isDirectory(TerraformSettings.folder(ctx)) || binary.isEmpty()) {
            return Optional.empty();
        }
        TerraformSettings settings = TerraformSettings.of(ctx, env);
        Optional<Path> handoff = ctx.handoffDir();
        Path tmp;
        try {
            tmp = handoff.isPresent() ? handoff.get() : Files.createTempDirectory("dr-terraform-preview-");
            Files.deleteIfExists(tmp.resolve(SAVED_PLAN));
        } catch (IOException e) {
            throw StepFailure.permanent("cannot create a temporary folder for the terraform preview: " + e.getMessage());
        }
        boolean kept = false;
        try {
            TerraformWork w = new TerraformWork(ctx, settings, binary.get(),
                    Map.of("TF_DATA_DIR", tmp.resolve(DATA_DIR).toString()), true);
            w.init();
            List<Change> changes = w.plan(destroy, tmp.resolve(SAVED_PLAN)).changes();
            kept = handoff.isPresent() && ownerOnly(tmp.resolve(SAVED_PLAN));
            if (changes.isEmpty()) {
                // said, not left empty: an empty list reads as "changes nothing", not "nothing there"
                String none = destroy ? "nothing in the state to destroy" : "no resources in the configuration or the state";
                return Optional.of(List.of(new Change("unchanged", "terraform " + settings.dir() + " (" + none + ")")));
            }
            return Optional.of(changes);
        } finally {
            if (handoff.isEmpty()) {
                deleteTree(tmp);
            } else if (!kept) {
                deleteQuietly(tmp.resolve(SAVED_PLAN)); // half a preview hands nothing on: the apply plans anew
            }
        }
    }

    /**
     * Applies the plan the preview saved in the step's handoff folder, exactly that file, or,
     * where there is none (a resume, a run without a live preview), plans now, logs and applies
     * that plan; {@code destroy} plans the destruction of everything in the state.
     */
    static StepResult apply(StepContext ctx, Map<String, String> env, boolean destroy)
            throws StepFailure, InterruptedException {
        TerraformSettings settings = TerraformSettings.of(ctx, env);
        if (!Files.isDirectory(settings.dir())) {
            throw StepFailure.permanent("with.dir: no terraform folder " + settings.dir());
        }
        Path binary = Terraform.onPath(env.get("PATH")).orElseThrow(() -> StepFailure.permanent(
                "terraform is not on the PATH; install it (https://developer.hashicorp.com/terraform/install)"));
        Path work = ctx.workDir().resolve("terraform").resolve(slug(ctx.with().get("dir").asString())).toAbsolutePath();
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot create " + work + ": " + e.getMessage());
        }
        Optional<Path> saved = ctx.handoffDir().map(d -> d.resolve(SAVED_PLAN)).filter(Files::isRegularFile);
        Path applied = work.resolve(APPLIED);
        if (saved.isPresent() && appliedSince(applied, saved.get())) {
            // a full drill's teardown: its plan-diff was made before this run's bringup created what it destroys
            ctx.log("terraform folder " + settings.dir() + ": an earlier step of this run applied it after the plan-diff"
                    + " was made, so the plan-diff's saved plan predates this run's own change: planning now");
            deleteQuietly(saved.get());
            saved = Optional.empty();
        }
        TerraformWork w;
        TerraformPlan plan;
        if (saved.isPresent()) {
            // the preview's init and data folder: the providers and backend the saved plan was made with
            w = new TerraformWork(ctx, settings, binary,
                    Map.of("TF_DATA_DIR", saved.get().resolveSibling(DATA_DIR).toString()), false);
            ctx.log("terraform folder " + settings.dir() + ": applying the plan-diff's saved plan "
                    + sha256(saved.get()) + ", without planning again");
            plan = w.show(saved.get());
            w.log(plan);
            w.applySaved(saved.get());
        } else {
            ctx.log("terraform folder " + settings.dir() + ": no saved plan of this run's plan-diff for this step"
                    + " (a resumed run, an attempt after a failed one, or a preview that did not run live): planning now");
            w = new TerraformWork(ctx, settings, binary, Map.of(), false);
            w.init();
            // A saved plan holds variable values and state in plain text: it lives only until applied.
            Path planFile = work.resolve(destroy ? "destroy.tfplan" : "apply.tfplan");
            try {
                plan = w.plan(destroy, planFile);
                w.log(plan);
                w.tf.run(List.of("apply", "-input=false", "-no-color", planFile.toString()), w.masker, Terraform.Mode.STREAM);
            } finally {
                deleteQuietly(planFile);
            }
        }
        markApplied(applied);
        if (destroy) {
            return StepResult.of("terraform.destroyed", Long.toString(plan.count("delete")));
        }
        String json = w.tf.run(List.of("output", "-json", "-no-color"), w.masker, Terraform.Mode.JSON).stdout();
        List<OutputValue> outputs = w.parse("output -json", () -> PlanJson.outputs(json));
        w.masker = w.masker.with(outputs.stream().filter(OutputValue::sensitive).map(OutputValue::text).toList());
        Masker m = w.masker;
        return new StepResult(ReceiptOutputs.of(outputs, work, settings.dir(), line -> ctx.log(m.mask(line))));
    }

    /**
     * Applies the preview's saved plan. Terraform refuses it when the state moved since (its
     * serial or lineage differ): that is the operator's plan-diff no longer holding, refused as
     * such and never planned again behind the operator's back. The file is removed once applied;
     * after any other failure it stays for the next attempt (terraform calls it stale if that
     * failure changed the state).
     */
    private void applySaved(Path saved) throws StepFailure, InterruptedException {
        try {
            tf.run(List.of("apply", "-input=false", "-no-color", saved.toString()), masker, Terraform.Mode.STREAM);
        } catch (StepFailure f) {
            if (TerraformFailures.stale(f)) {
                deleteQuietly(saved);
                throw new StepFailure(ErrorClass.STALE_PREVIEW, "the terraform state of " + dir + " changed since the"
                        + " plan-diff was shown (terraform: Saved plan is stale); nothing of its plan was applied."
                        + " Run dr apply again to see the plan-diff of the state as it is now", f);
            }
            throw f;
        }
        deleteQuietly(saved);
    }

    /** The changes of a saved plan, its secrets added to the masker. */
    private TerraformPlan show(Path planFile) throws StepFailure, InterruptedException {
        String json = tf.run(List.of("show", "-json", "-no-color", planFile.toString()), masker, Terraform.Mode.JSON).stdout();
        TerraformPlan plan = parse("show -json", () -> PlanJson.parse(json));
        masker = masker.with(plan.secrets());
        return plan;
    }

    private void init() throws StepFailure, InterruptedException {
        ctx.log("terraform folder " + dir + ", state " + backend.map(RemoteBackend::describe)
                .orElse("in the folder's own backend"));
        List<String> args = new ArrayList<>(List.of("init", "-input=false", "-no-color"));
        if (preview) {
            args.add("-lockfile=readonly"); // verify the dependency lock file, never rewrite it
        }
        backend.ifPresent(b -> args.addAll(b.initArgs()));
        tf.run(args, masker, Terraform.Mode.STREAM);
    }

    private TerraformPlan plan(boolean destroy, Path planFile) throws StepFailure, InterruptedException {
        List<String> args = new ArrayList<>(List.of("plan", "-input=false", "-no-color"));
        if (destroy) {
            args.add("-destroy");
        }
        if (preview) {
            args.add("-lock=false"); // a preview neither waits for nor blocks a running apply
        }
        args.add("-out=" + planFile);
        args.addAll(vars);
        Terraform.Output planned = tf.run(args, masker, Terraform.Mode.HELD);
        TerraformPlan plan = show(planFile);
        tf.logTail("plan", planned.stdoutTail(), masker);
        return plan;
    }

    private void log(TerraformPlan plan) {
        ctx.log("terraform plan: " + plan.summary());
        for (ResourceChange r : plan.resources()) {
            if (r.action().equals("unchanged")) {
                continue;
            }
            Change c = r.toChange();
            ctx.log(masker.mask("  " + sign(c.action()) + " " + c.action() + " " + c.resource()));
            for (AttributeChange a : r.attributes()) {
                ctx.log(masker.mask("      " + a.path() + ": " + a.before() + " -> " + a.after()));
            }
        }
        plan.outputs().stream().filter(o -> !o.action().equals("unchanged"))
                .forEach(o -> ctx.log("  " + sign(o.action()) + " " + o.action() + " " + o.toChange().resource()));
    }

    private <T> T parse(String what, Supplier<T> p) throws StepFailure {
        try {
            return p.get();
        } catch (RuntimeException e) {
            throw StepFailure.permanent("terraform " + what + ": unreadable output: " + masker.mask(String.valueOf(e.getMessage())));
        }
    }

    /** The work folder's name for a terraform folder: {@code ops/dr/terraform} → {@code ops-dr-terraform}. */
    static String slug(String dir) {
        String s = dir.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        return s.isEmpty() ? "root" : s;
    }

    private static String sign(String action) {
        switch (action) {
            case "create":
                return "+";
            case "update":
                return "~";
            case "delete":
                return "-";
            case "unchanged":
                return "=";
            default:
                return "?";
        }
    }

    /** True when this run applied the folder after {@code saved} was made. */
    private static boolean appliedSince(Path applied, Path saved) {
        try {
            return Files.isRegularFile(applied)
                    && Files.getLastModifiedTime(applied).compareTo(Files.getLastModifiedTime(saved)) >= 0;
        } catch (IOException e) {
            return true; // cannot tell: planning now is what the step did before it had saved plans
        }
    }

    private static void markApplied(Path applied) {
        try {
            Files.writeString(applied, "");
        } catch (IOException e) {
            // without it a later step's stale saved plan is refused (exit 3) rather than planned again: safe
        }
    }

    /** Owner-only: a saved plan holds variable values and state in plain text. False when it cannot be made so. */
    private static boolean ownerOnly(Path file) {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            return Files.isRegularFile(file);
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code sha256:<hex>} of a file, for the log: the same saved plan in preview and apply. */
    static String sha256(Path file) throws StepFailure {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n = in.read(buf); n > 0; n = in.read(buf)) {
                md.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw StepFailure.permanent("cannot read the saved plan " + file + ": " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the next attempt to overwrite
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(TerraformWork::deleteQuietly);
        } catch (IOException e) {
            // a temporary folder; the system cleans it up
        }
    }
}

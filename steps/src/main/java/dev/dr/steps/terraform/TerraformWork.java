package dev.dr.steps.terraform;

import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * <p>A preview plans in a temporary folder (plan file and terraform's data folder) without
 * taking the state lock, so it changes no infrastructure, no lock table and no file of the
 * terraform folder or of the receipts.
 */
final class TerraformWork {

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

    /** The preview's changes, or empty (the offline declaration stands) without the folder or terraform. */
    static Optional<List<Change>> preview(StepContext ctx, Map<String, String> env, boolean destroy)
            throws StepFailure, InterruptedException {
        Optional<Path> binary = Terraform.onPath(env.get("PATH"));
        if (!Files.isDirectory(TerraformSettings.folder(ctx)) || binary.isEmpty()) {
            return Optional.empty();
        }
        TerraformSettings settings = TerraformSettings.of(ctx, env);
        Path tmp;
        try {
            tmp = Files.createTempDirectory("dr-terraform-preview-");
        } catch (IOException e) {
            throw StepFailure.permanent("cannot create a temporary folder for the terraform preview: " + e.getMessage());
        }
        try {
            TerraformWork w = new TerraformWork(ctx, settings, binary.get(),
                    Map.of("TF_DATA_DIR", tmp.resolve("data").toString()), true);
            w.init();
            List<Change> changes = w.plan(destroy, tmp.resolve("tfplan")).changes();
            if (changes.isEmpty()) {
                // said, not left empty: an empty list reads as "changes nothing", not "nothing there"
                String none = destroy ? "nothing in the state to destroy" : "no resources in the configuration or the state";
                return Optional.of(List.of(new Change("unchanged", "terraform " + settings.dir() + " (" + none + ")")));
            }
            return Optional.of(changes);
        } finally {
            deleteTree(tmp);
        }
    }

    /** Plans, logs and applies the saved plan; {@code destroy} plans the destruction of everything in the state. */
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
        TerraformWork w = new TerraformWork(ctx, settings, binary, Map.of(), false);
        w.init();
        // A saved plan holds variable values and state in plain text: it lives only until applied.
        Path planFile = work.resolve(destroy ? "destroy.tfplan" : "apply.tfplan");
        try {
            TerraformPlan plan = w.plan(destroy, planFile);
            w.log(plan);
            w.tf.run(List.of("apply", "-input=false", "-no-color", planFile.toString()), w.masker, Terraform.Mode.STREAM);
            if (destroy) {
                return StepResult.of("terraform.destroyed", Long.toString(plan.count("delete")));
            }
        } finally {
            deleteQuietly(planFile);
        }
        String json = w.tf.run(List.of("output", "-json", "-no-color"), w.masker, Terraform.Mode.JSON).stdout();
        List<OutputValue> outputs = w.parse("output -json", () -> PlanJson.outputs(json));
        w.masker = w.masker.with(outputs.stream().filter(OutputValue::sensitive).map(OutputValue::text).toList());
        Masker m = w.masker;
        return new StepResult(ReceiptOutputs.of(outputs, work, settings.dir(), line -> ctx.log(m.mask(line))));
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
        String json = tf.run(List.of("show", "-json", "-no-color", planFile.toString()), masker, Terraform.Mode.JSON).stdout();
        TerraformPlan plan = parse("show -json", () -> PlanJson.parse(json));
        masker = masker.with(plan.secrets());
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

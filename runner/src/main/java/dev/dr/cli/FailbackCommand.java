package dev.dr.cli;

import dev.dr.command.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dr failback}: the runbook's dr_failback.sh with its flags, as {@code dr apply} of the
 * failback plan (or {@code dr plan} with --dry-run). The flags fill the plan's variables (see
 * {@link FailbackInputs}), so the plan-diff shows every value; the two confirmations and the DR
 * run id are this command's, handed to apply, which takes them without listing them (a failback
 * run is resumed with dr apply --resume).
 */
@Command(name = "failback", mixinStandardHelpOptions = true,
        description = "Fail back from a promoted DR environment to primary: two confirmations, DR-promoted check, freeze,"
                + " divergence check, pointers handed back, then teardown unless --teardown false.",
        footer = {"", "The primary cluster is only read, from --kubeconfig-primary alone (never",
                "KUBECONFIG or ~/.kube/config): the freeze waits until no Job of the primary's",
                "CronJob (same name and namespace) is active and reports whether it is",
                "suspended. Without the flag the primary is not checked; the plan-diff and the",
                "log say so.",
                "--provider P --profile C compare only publish/P/C/ with dr/publish/P/C/ (below",
                "the prefix); without them the divergence check compares every object.",
                "", "Examples:",
                "  dr failback --bucket artifacts --prefix jobintel --dr-run-id <dr_run_id> \\",
                "    --kubeconfig-dr k3s.yaml --kubeconfig-primary primary.kubeconfig \\",
                "    --confirm1 FAILBACK --confirm2 CONFIRM-<dr_run_id> --dry-run",
                "  dr failback --bucket artifacts --prefix jobintel --dr-run-id <dr_run_id> \\",
                "    --kubeconfig-dr k3s.yaml --kubeconfig-primary primary.kubeconfig \\",
                "    --image-ref <acct>.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<dig> \\",
                "    --namespace jobintel --provider openai --profile cs \\",
                "    --confirm1 FAILBACK --confirm2 CONFIRM-<dr_run_id>"})
final class FailbackCommand implements Callable<Integer> {
    private final Context ctx;

    @Option(names = "--plan", defaultValue = "plans/failback.yaml", description = "The failback plan (default: ${DEFAULT-VALUE}).")
    String plan;

    @Option(names = "--bucket", required = true, description = "Artifact bucket (the plan's inputs.bucket, BUCKET).")
    String bucket;

    @Option(names = "--prefix", defaultValue = "jobintel", description = "Prefix in the bucket (PREFIX; default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--dr-run-id", required = true, description = "The DR run being failed back (its id is the second confirmation).")
    String drRunId;

    @Option(names = "--kubeconfig-dr", description = "Kubeconfig of the DR cluster (default: the --from-receipt run's).")
    String kubeconfigDr;

    @Option(names = "--kubeconfig-primary", paramLabel = "FILE", description = "Kubeconfig of the primary cluster, only read"
            + " (KUBECONFIG_PRIMARY, failback.freeze's primaryKubeconfig): no Job of its CronJob may be active. Default: not checked.")
    String kubeconfigPrimary;

    @Option(names = "--namespace", paramLabel = "NAME", description = "The DR namespace (NAMESPACE, target.namespace; default: jobintel).")
    String namespace;

    @Option(names = "--provider", paramLabel = "NAME", description = "Compare only this provider's outputs"
            + " (PROVIDER, failback.verify-divergence's provider; default: all).")
    String provider;

    @Option(names = "--profile", paramLabel = "NAME", description = "With --provider: only this profile's outputs"
            + " (PROFILE, failback.verify-divergence's profile).")
    String profile;

    @Option(names = "--from-receipt", paramLabel = "DIR", description = "The DR environment's bringup receipt.")
    String fromReceipt;

    @Option(names = "--image-ref", description = "Release image (IMAGE_REF).")
    String imageRef;

    @Option(names = "--confirm1", description = "FAILBACK.")
    String confirm1;

    @Option(names = "--confirm2", description = "CONFIRM-<dr_run_id>.")
    String confirm2;

    @Option(names = "--teardown", arity = "0..1", paramLabel = "BOOL", description = "Tear DR down afterwards (default true).")
    String teardown;

    @Option(names = "--dry-run", description = "Preview only: the plan-diff with live reads; nothing changes, no confirmation asked.")
    boolean dryRun;

    @Option(names = "--yes", description = "Apply without the general prompt (the two confirmations are still needed).")
    boolean yes;

    FailbackCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws java.io.IOException {
        // unusable flags first (exit 2), then the confirmations: a failback that will be refused
        // asks AWS nothing and writes nothing
        Map<String, String> scoped = new FailbackInputs(namespace, kubeconfigDr, kubeconfigPrimary, provider, profile)
                .variables(ctx);
        FailbackConfirmations.Confirmed confirmed = dryRun ? null
                : FailbackConfirmations.confirmed(ctx, confirm1, confirm2, drRunId);
        Map<String, String> env = new HashMap<>(ctx.env());
        env.putAll(scoped);
        env.put("BUCKET", bucket);
        env.put("PREFIX", prefix);
        if (imageRef != null) {
            env.put("IMAGE_REF", imageRef);
        }
        List<String> argv = new ArrayList<>(dryRun ? List.of("plan", plan, "--refuse-if-failing") : List.of("apply", plan));
        if (fromReceipt != null) {
            argv.addAll(List.of("--from-receipt", fromReceipt));
        }
        if (teardown != null) {
            argv.add("--teardown=" + teardown);
        }
        if (kubeconfigDr != null) {
            // apply's, and in a dry run plan's (hidden): the previews read the DR cluster the run would change
            argv.addAll(List.of("--kubeconfig", kubeconfigDr));
        }
        if (!dryRun) {
            argv.addAll(List.of("--dr-run-id", drRunId));
            argv.addAll(List.of("--confirm1", confirmed.first(), "--confirm2", confirmed.second()));
            if (yes) {
                argv.add("--yes");
            }
        }
        return Main.run(new Context(ctx.out(), ctx.err(), env, ctx.cwd(), ctx.tty(), ctx.in()), argv.toArray(String[]::new));
    }
}

package dev.dr.steps.aws.ecr;

import dev.dr.aws.EcrImageRef;
import dev.dr.aws.S3Settings;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.step.Change;
import dev.dr.step.StepFailure;
import dev.dr.steps.RunbookReceipts;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dr ecr-pull-secret}: the runbook's dr_ensure_ecr_pull_secret.sh with its flags, for
 * operators who check or mend the pull secret outside a drill. The same as the
 * {@code ecr.pull-secret} step; {@code --dry-run} is its preview (no change, no token).
 */
@Command(name = "ecr-pull-secret", mixinStandardHelpOptions = true,
        description = "Create or refresh the kubernetes.io/dockerconfigjson Secret from an ECR token for the registry of"
                + " --image-ref and list it in the ServiceAccount's imagePullSecrets. With --dry-run nothing changes and no"
                + " token is fetched. The token is never printed.",
        footer = {"", "Example:", "  dr ecr-pull-secret --namespace jobintel --region us-east-1 \\",
                "    --image-ref 048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest> \\",
                "    --secret-name ecr-pull --service-account jobintel --kubeconfig k3s.public.yaml --dry-run",
                "", "Exit codes: 0 done, 1 failed, 2 usage, 3 refused (not an ECR image ref)."})
public final class EcrPullSecretCommand implements Callable<Integer> {
    private final Context ctx;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "Kubeconfig of the DR cluster (default: KUBECONFIG, else ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--namespace", paramLabel = "NS", defaultValue = "jobintel", description = "Namespace of the Secret and ServiceAccount (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"--region", "--aws-region"}, paramLabel = "R", description = "AWS region of the registry; must be the one in --image-ref (default: that one).")
    String region;

    @Option(names = "--image-ref", paramLabel = "REF", required = true, description = "The image: <account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>.")
    String imageRef;

    @Option(names = "--secret-name", defaultValue = "ecr-pull", description = "Name of the Secret (default: ${DEFAULT-VALUE}).")
    String secretName;

    @Option(names = "--service-account", defaultValue = "jobintel", description = "ServiceAccount that gets the pull secret (default: ${DEFAULT-VALUE}).")
    String serviceAccount;

    @Option(names = "--receipt-dir", paramLabel = "DIR",
            description = "Write what was done (or would be, with --dry-run; or why it failed) to DIR/" + RECEIPT
                    + "; never the token.")
    Path receiptDir;

    @Option(names = "--dry-run", description = "Say what would change; change nothing and fetch no token.")
    boolean dryRun;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "A stand-in for the ECR API instead of AWS.")
    URI endpoint;

    @Option(names = "--no-sign-request", description = "Send unsigned requests (a stand-in that takes them).")
    boolean unsigned;

    /** The receipt's name in --receipt-dir. */
    static final String RECEIPT = "ecr-pull-secret.summary.json";

    EcrPullSecretCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Map<String, Object> facts = new TreeMap<>();
        facts.put("dryRun", dryRun);
        facts.put("imageRef", imageRef);
        facts.put("namespace", namespace);
        facts.put("secretName", secretName);
        facts.put("serviceAccount", serviceAccount);
        try {
            int code = ensure(facts);
            facts.put("status", dryRun ? "previewed" : "applied");
            receipt(facts);
            return code;
        } catch (ExitException e) {
            facts.put("status", e.code() == ExitCodes.GUARD_REFUSED ? "refused" : "failed");
            facts.put("reason", e.getMessage());
            receipt(facts);
            throw e;
        }
    }

    /** The receipt, when --receipt-dir asks for one: what the runbook's helper left, without the token. */
    private void receipt(Map<String, Object> facts) {
        if (receiptDir == null) {
            return;
        }
        facts.put("finishedAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        try {
            Path f = RunbookReceipts.json(ctx.resolve(receiptDir.toString()), RECEIPT, facts);
            ctx.err().println("Receipt: " + f);
        } catch (StepFailure e) {
            ctx.err().println("dr ecr-pull-secret: warning: " + e.getMessage());
        }
    }

    private int ensure(Map<String, Object> facts) {
        EcrImageRef ref;
        try {
            ref = EcrImageRef.parse(imageRef);
            facts.put("registry", ref.host());
        } catch (IllegalArgumentException e) {
            throw ExitException.guardRefused("refused: " + e.getMessage()).as("dr ecr-pull-secret");
        }
        if (region != null && !region.equals(ref.region())) {
            throw ExitException.invalidInput("--region " + region + " is not the region of the registry " + ref.host()
                    + " (" + ref.region() + "): an ECR token works only in its registry's region")
                    .as("dr ecr-pull-secret");
        }
        Optional<Path> config = kubeconfig();
        if (config.isPresent() && !Files.isReadable(config.get())) {
            throw ExitException.invalidInput("cannot read the kubeconfig " + config.get()).as("dr ecr-pull-secret");
        }
        PullSecrets.Target t = new PullSecrets.Target(namespace, secretName, serviceAccount);
        S3Settings settings = new S3Settings(Optional.of(ref.region()), Optional.ofNullable(endpoint), unsigned);
        try (EcrRegistry ecr = EcrRegistry.open(settings, dryRun);
             KubernetesClient k = ClusterAccess.open(config, dryRun, line -> ctx.err().println(line))) {
            if (dryRun) {
                ecr.probe(ref);
                ctx.out().println("Registry " + ref.host() + ": repository " + ref.repository() + " answers (DescribeRepositories)");
                List<String> changes = new ArrayList<>();
                for (Change c : PullSecrets.changes(PullSecrets.inspect(k, t), t, ref)) {
                    ctx.out().println(SIGNS.get(c.action()) + " " + (c.action().equals("unchanged") ? "" : "would ")
                            + c.action() + " " + c.resource());
                    changes.add(c.action() + " " + c.resource());
                }
                facts.put("changes", changes);
                ctx.out().println("Dry run: nothing changed, no token fetched.");
                return ExitCodes.OK;
            }
            RegistryAuth auth = ecr.token(ref);
            PullSecrets.Applied a = PullSecrets.apply(k, t, auth, line -> { });
            ctx.out().println("Secret " + namespace + "/" + secretName + ": " + a.secret());
            ctx.out().println("ServiceAccount " + namespace + "/" + serviceAccount + ": " + a.serviceAccount());
            facts.put("secretResult", a.secret());
            facts.put("serviceAccountResult", a.serviceAccount());
            return ExitCodes.OK;
        } catch (StepFailure e) {
            throw ExitException.phaseFailed(e.getMessage()).as("dr ecr-pull-secret");
        } catch (KubernetesClientException e) {
            // opening the client (a kubeconfig it cannot use); no token involved yet
            throw ExitException.phaseFailed(e.getMessage()).as("dr ecr-pull-secret");
        }
    }

    private static final Map<String, String> SIGNS = Map.of("create", "+", "update", "~", "delete", "-", "unchanged", "=",
            "unknown", "?");

    /** --kubeconfig, else the first file KUBECONFIG names, else fabric8's own search (~/.kube/config). */
    private Optional<Path> kubeconfig() {
        if (kubeconfig != null) {
            return Optional.of(ctx.resolve(kubeconfig.toString()));
        }
        String env = ctx.env().getOrDefault("KUBECONFIG", "");
        for (String f : env.split(File.pathSeparator)) {
            if (!f.isBlank()) {
                return Optional.of(ctx.resolve(f));
            }
        }
        return Optional.empty();
    }
}

package dev.dr.steps.aws.ecr;

import dev.dr.aws.AwsClients;
import dev.dr.aws.EcrImageRef;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ecr.pull-secret}: fetches an ECR authorization token for the registry of
 * {@code inputs.imageRef}, writes it as the {@code kubernetes.io/dockerconfigjson} Secret
 * {@code with.secretName} of the target namespace (created or replaced) and lists that Secret
 * in the {@code imagePullSecrets} of {@code with.serviceAccount}. The token reaches the
 * Secret only: outputs and log lines name the Secret, the ServiceAccount and the expiry.
 */
public final class EcrPullSecretStep extends DescribedStep {
    public EcrPullSecretStep() {
        super("ecr.pull-secret");
    }

    /**
     * Output keys of the receipt. (A key whose last word is "secret" would be masked as a
     * sensitive value; these hold names and a time only.)
     */
    public static final String SECRET_OUTPUT = "ecr.pull-secret.name";
    public static final String SERVICE_ACCOUNT_OUTPUT = "ecr.pull-secret.service-account";
    public static final String REGISTRY_OUTPUT = "ecr.pull-secret.registry";
    public static final String EXPIRES_OUTPUT = "ecr.pull-secret.expires-at";

    /**
     * Live and read-only: whether the Secret would be created or refreshed and whether the
     * ServiceAccount link would be added. It fetches no token, since the token is a credential
     * and a preview's output must hold none; it only checks that the image's registry answers
     * a read (see {@link EcrRegistry#probe}).
     */
    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        EcrImageRef ref = imageRef(ctx);
        PullSecrets.Target t = target(ctx);
        List<Change> out = new ArrayList<>();
        try (EcrRegistry ecr = EcrRegistry.open(AwsClients.settings(ctx.outputs(), Optional.of(ref.region())), true)) {
            ecr.probe(ref);
            out.add(new Change("unchanged", "read ECR repository " + ref.repository() + " of registry " + ref.host()
                    + " (answers; the token is fetched at apply only)"));
        }
        try (KubernetesClient k = ClusterAccess.open(ctx)) {
            out.addAll(PullSecrets.changes(PullSecrets.inspect(k, t), t, ref));
        }
        return Optional.of(out);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        EcrImageRef ref = imageRef(ctx);
        PullSecrets.Target t = target(ctx);
        ctx.setting("target.region").filter(r -> !r.isBlank() && !r.equals(ref.region())).ifPresent(r -> ctx.log(
                "registry " + ref.host() + " is in " + ref.region() + ", the target in " + r + ": the token is requested in "
                        + ref.region() + ", where it is valid"));
        PullSecrets.Applied a;
        RegistryAuth auth;
        try (EcrRegistry ecr = EcrRegistry.open(AwsClients.settings(ctx.outputs(), Optional.of(ref.region())), false);
             KubernetesClient k = ClusterAccess.open(ctx)) {
            auth = ecr.token(ref);
            ctx.log("ECR token for " + ref.host() + ", expires " + auth.expiresAt());
            a = PullSecrets.apply(k, t, auth, ctx::log);
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        outputs.put(SECRET_OUTPUT, t.namespace() + "/" + t.secretName());
        outputs.put(SERVICE_ACCOUNT_OUTPUT, t.namespace() + "/" + t.serviceAccount());
        outputs.put(REGISTRY_OUTPUT, ref.host());
        outputs.put(EXPIRES_OUTPUT, auth.expiresAt().toString());
        return new StepResult(outputs);
    }

    static EcrImageRef imageRef(StepContext ctx) throws StepFailure {
        try {
            return EcrImageRef.parse(ctx.setting("inputs.imageRef").orElse(""));
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent("inputs.imageRef refused: " + e.getMessage());
        }
    }

    static PullSecrets.Target target(StepContext ctx) throws StepFailure {
        String ns = ctx.setting("target.namespace").filter(s -> !s.isBlank())
                .orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
        return new PullSecrets.Target(ns, with(ctx, "secretName", "ecr-pull"), with(ctx, "serviceAccount", "jobintel"));
    }

    /** A with: setting; the engine fills in the schema's defaults, the fallback is the same. */
    private static String with(StepContext ctx, String key, String fallback) {
        var w = ctx.with();
        return w.has(key) && !w.get(key).asString().isBlank() ? w.get(key).asString() : fallback;
    }
}

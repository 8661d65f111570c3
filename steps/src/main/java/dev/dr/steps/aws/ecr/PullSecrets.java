package dev.dr.steps.aws.ecr;

import dev.dr.aws.EcrImageRef;
import dev.dr.step.Change;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import dev.dr.steps.k8s.ApiErrors;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The pull secret in the cluster: a {@code kubernetes.io/dockerconfigjson} Secret created or
 * replaced with a fresh token, and listed in a ServiceAccount's {@code imagePullSecrets}
 * (created when missing; its other pull secrets are kept). The runbook's restore does this
 * before the workloads are applied, so that their pods can pull the image.
 */
public final class PullSecrets {
    private PullSecrets() {}

    public static final String TYPE = "kubernetes.io/dockerconfigjson";
    public static final String KEY = ".dockerconfigjson";
    /** Annotations of the Secret: which registry, and until when its token works (no secret in either). */
    public static final String REGISTRY_ANNOTATION = "dr.dev/ecr-registry";
    public static final String EXPIRES_ANNOTATION = "dr.dev/ecr-token-expires-at";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "dr");

    /** Where the pull secret goes. */
    public record Target(String namespace, String secretName, String serviceAccount) {
        String secretId() {
            return "Secret " + namespace + "/" + secretName;
        }

        String serviceAccountId() {
            return "ServiceAccount " + namespace + "/" + serviceAccount;
        }
    }

    /**
     * What is live.
     *
     * @param secretType     the Secret's type, empty when there is no Secret
     * @param tokenExpiresAt the expiry the Secret's annotation gives, if any
     * @param serviceAccount whether the ServiceAccount exists
     * @param linked         whether it lists the Secret in imagePullSecrets
     */
    public record State(Optional<String> secretType, Optional<String> tokenExpiresAt, boolean serviceAccount, boolean linked) {}

    /** What apply did, in words for the log and the command's output. */
    public record Applied(String secret, String serviceAccount) {}

    /** Reads the Secret and the ServiceAccount; changes nothing. */
    public static State inspect(KubernetesClient k, Target t) throws StepFailure {
        try {
            Secret s = k.secrets().inNamespace(t.namespace()).withName(t.secretName()).get();
            ServiceAccount sa = k.serviceAccounts().inNamespace(t.namespace()).withName(t.serviceAccount()).get();
            // read the annotations only: the Secret's data is the token of the last run
            Optional<String> expires = Optional.ofNullable(s).map(Secret::getMetadata).map(m -> m.getAnnotations())
                    .map(a -> a.get(EXPIRES_ANNOTATION));
            return new State(Optional.ofNullable(s).map(x -> x.getType() == null ? "Opaque" : x.getType()), expires,
                    sa != null, sa != null && linked(sa, t.secretName()));
        } catch (KubernetesClientException e) {
            throw classify(t.secretId() + " and " + t.serviceAccountId(), e, Optional.empty());
        }
    }

    /** What apply would change, as the plan-diff shows it. */
    public static List<Change> changes(State s, Target t, EcrImageRef ref) {
        Change secret;
        if (s.secretType().isEmpty()) {
            secret = new Change("create", t.secretId() + " (" + TYPE + " for " + ref.host() + ")");
        } else if (!TYPE.equals(s.secretType().get())) {
            secret = new Change("update", t.secretId() + " (replaced: type " + s.secretType().get() + " -> " + TYPE + ")");
        } else {
            secret = new Change("update", t.secretId() + " (refreshed with a new ECR token"
                    + s.tokenExpiresAt().map(e -> "; the current one expires " + e).orElse("") + ")");
        }
        Change link = !s.serviceAccount()
                ? new Change("create", t.serviceAccountId() + " (imagePullSecrets: " + t.secretName() + ")")
                : s.linked() ? new Change("unchanged", t.serviceAccountId() + " (imagePullSecrets has " + t.secretName() + ")")
                : new Change("update", t.serviceAccountId() + " (imagePullSecrets: add " + t.secretName() + ")");
        return List.of(secret, link);
    }

    /** Creates or replaces the Secret with {@code auth}, then links it to the ServiceAccount. */
    public static Applied apply(KubernetesClient k, Target t, RegistryAuth auth, Consumer<String> log) throws StepFailure {
        String secret;
        try {
            var secrets = k.secrets().inNamespace(t.namespace());
            Secret live = secrets.withName(t.secretName()).get();
            Secret wanted = secret(t, auth);
            if (live != null && !TYPE.equals(live.getType())) {
                // a Secret's type cannot change: replace it
                secrets.withName(t.secretName()).delete();
                secrets.resource(wanted).create();
                secret = "replaced (was type " + (live.getType() == null ? "Opaque" : live.getType()) + ")";
            } else {
                secrets.resource(wanted).createOr(NonDeletingOperation::update);
                secret = live == null ? "created" : "refreshed";
            }
        } catch (KubernetesClientException e) {
            throw classify(t.secretId(), e, Optional.of(auth));
        }
        secret += " for " + auth.registry() + ", token expires " + auth.expiresAt();
        log.accept(t.secretId() + ": " + secret);
        String link = link(k, t);
        log.accept(t.serviceAccountId() + ": " + link);
        return new Applied(secret, link);
    }

    private static String link(KubernetesClient k, Target t) throws StepFailure {
        var accounts = k.serviceAccounts().inNamespace(t.namespace());
        try {
            ServiceAccount live = accounts.withName(t.serviceAccount()).get();
            if (live == null) {
                try {
                    accounts.resource(new ServiceAccountBuilder().withNewMetadata().withName(t.serviceAccount())
                            .withNamespace(t.namespace()).addToLabels(LABELS).endMetadata()
                            .addToImagePullSecrets(new LocalObjectReference(t.secretName())).build()).create();
                    return "created with imagePullSecrets [" + t.secretName() + "]";
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    // created meanwhile (e.g. by the workloads' manifests): link it as below
                }
            } else if (linked(live, t.secretName())) {
                return "imagePullSecrets already lists " + t.secretName();
            }
            accounts.withName(t.serviceAccount()).edit(sa -> linked(sa, t.secretName()) ? sa
                    : new ServiceAccountBuilder(sa).addToImagePullSecrets(new LocalObjectReference(t.secretName())).build());
            return "added " + t.secretName() + " to imagePullSecrets";
        } catch (KubernetesClientException e) {
            throw classify(t.serviceAccountId(), e, Optional.empty());
        }
    }

    static boolean linked(ServiceAccount sa, String secretName) {
        return sa.getImagePullSecrets() != null
                && sa.getImagePullSecrets().stream().anyMatch(r -> r != null && secretName.equals(r.getName()));
    }

    static Secret secret(Target t, RegistryAuth auth) {
        return new SecretBuilder().withNewMetadata().withName(t.secretName()).withNamespace(t.namespace())
                .addToLabels(LABELS)
                .addToAnnotations(REGISTRY_ANNOTATION, auth.registry())
                .addToAnnotations(EXPIRES_ANNOTATION, auth.expiresAt().toString())
                .endMetadata()
                .withType(TYPE)
                .addToData(KEY, Base64.getEncoder().encodeToString(auth.dockerConfigJson()))
                .build();
    }

    /**
     * API failures by HTTP status, in the Kubernetes steps' table. The message is taken
     * from the API's status only, with the token redacted, and the exception is not kept: a
     * failed write of the Secret could echo what was sent.
     */
    static StepFailure classify(String what, KubernetesClientException e, Optional<RegistryAuth> auth) {
        int code = e.getCode();
        ErrorClass c = ApiErrors.errorClass(code);
        String detail = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                : e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                : "no answer";
        String msg = what + ": " + (code == 0 ? "" : "HTTP " + code + ": ") + detail;
        return new StepFailure(c, auth.map(a -> a.redact(msg)).orElse(msg));
    }
}

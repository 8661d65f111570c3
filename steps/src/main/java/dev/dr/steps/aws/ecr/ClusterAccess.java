package dev.dr.steps.aws.ecr;

import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A fabric8 client for the DR cluster. The step finds it as the Kubernetes steps do: only the
 * kubeconfig an earlier phase or run left in its receipt (output {@code kubeconfig}), never the
 * environment's. {@code dr ecr-pull-secret}, the runbook's helper on its own, takes
 * {@code --kubeconfig}, else the environment's (KUBECONFIG, ~/.kube/config) as the script did.
 * In a preview or dry run it refuses every request but GET before the request leaves the process.
 */
public final class ClusterAccess {
    private ClusterAccess() {}

    static KubernetesClient open(StepContext ctx) throws StepFailure {
        Optional<Path> kubeconfig = Optional.ofNullable(ctx.outputs().get("kubeconfig")).filter(s -> !s.isBlank()).map(Path::of);
        if (kubeconfig.isEmpty()) {
            throw StepFailure.permanent(dev.dr.steps.k8s.KubeClients.NO_CLUSTER);
        }
        return open(kubeconfig, ctx.readOnly(), ctx::log);
    }

    /**
     * @param kubeconfig the file, or empty for the environment's
     * @param log        told where the kubeconfig came from
     */
    public static KubernetesClient open(Optional<Path> kubeconfig, boolean readOnly, Consumer<String> log) throws StepFailure {
        KubernetesClientBuilder builder = new KubernetesClientBuilder();
        if (readOnly) {
            builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("dr-read-only", READ_ONLY));
        }
        if (kubeconfig.isEmpty()) {
            log.accept("kubeconfig: from the environment");
            return builder.build();
        }
        try {
            String content = Files.readString(kubeconfig.get(), StandardCharsets.UTF_8);
            log.accept("kubeconfig: " + kubeconfig.get());
            return builder.withConfig(Config.fromKubeconfig(content)).build();
        } catch (IOException e) {
            throw StepFailure.permanent("cannot read the kubeconfig " + kubeconfig.get() + ": " + e.getMessage());
        }
    }

    /** Stops a mutating request before it leaves the process. */
    static final Interceptor READ_ONLY = new Interceptor() {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (!"GET".equals(request.method())) {
                throw new IllegalStateException("a preview may only read: refused " + request.method() + " " + request.uri());
            }
        }
    };
}

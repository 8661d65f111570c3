package dev.dr.steps.k8s;

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

/**
 * A fabric8 client for the DR cluster: from the kubeconfig an earlier phase or run left in
 * its receipt (output {@code kubeconfig}, e.g. bringup's, or {@code --kubeconfig}), and from
 * nothing else. A DR plan never falls back to KUBECONFIG, ~/.kube/config or an in-cluster
 * account: those name the cluster the operator last used, often the primary. dr refuses such a
 * run before it starts; this is the second line.
 */
public final class KubeClients {
    private KubeClients() {}

    /** In a preview ({@link StepContext#readOnly()}) the client refuses every request but GET. */
    public static KubernetesClient open(StepContext ctx) throws StepFailure {
        String path = ctx.outputs().get("kubeconfig");
        KubernetesClientBuilder builder = new KubernetesClientBuilder();
        if (ctx.readOnly()) {
            builder.withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("dr-read-only", READ_ONLY));
        }
        if (path == null || path.isBlank()) {
            throw StepFailure.permanent(NO_CLUSTER);
        }
        try {
            String content = Files.readString(Path.of(path), StandardCharsets.UTF_8);
            ctx.log("kubeconfig: " + path);
            return builder.withConfig(Config.fromKubeconfig(content)).build();
        } catch (IOException e) {
            throw StepFailure.permanent("cannot read the kubeconfig " + path + " from the receipt: " + e.getMessage());
        }
    }

    /** Why a step has no cluster, and what to give. */
    public static final String NO_CLUSTER = "no kubeconfig for the DR cluster: neither the bringup receipt nor --kubeconfig"
            + " gives one, and a DR plan never reads KUBECONFIG or ~/.kube/config; give --receipt-dir <bringup receipt>"
            + " (or --from-receipt) or --kubeconfig FILE";

    /** Stops a mutating request before it leaves the process: previews only read. */
    static final Interceptor READ_ONLY = new Interceptor() {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (!"GET".equals(request.method())) {
                throw new IllegalStateException("a preview may only read: refused " + request.method() + " " + request.uri());
            }
        }
    };
}

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

    /**
     * A client for a cluster dr must never change (the primary, during a failback): from exactly
     * {@code kubeconfig}, never from KUBECONFIG or ~/.kube/config, and refusing every request but
     * GET before it leaves the process, in a run as in a preview.
     *
     * @param setting the plan setting that named the file, for the messages
     */
    public static KubernetesClient openReadOnly(Path kubeconfig, String setting) throws StepFailure {
        String content;
        try {
            content = Files.readString(kubeconfig, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw StepFailure.permanent(setting + ": cannot read the kubeconfig " + kubeconfig + ": " + e.getMessage());
        }
        Config config;
        try {
            config = Config.fromKubeconfig(content);
        } catch (RuntimeException e) {
            throw StepFailure.permanent(setting + ": " + kubeconfig + " is not a usable kubeconfig: " + e.getMessage());
        }
        if (config.getCurrentContext() == null) {
            // fabric8 would talk to https://kubernetes.default.svc: the cluster dr runs in, if any, not the one meant
            throw StepFailure.permanent(setting + ": " + kubeconfig + " has no current context (current-context naming"
                    + " one of its contexts), so it names no cluster");
        }
        return new KubernetesClientBuilder().withConfig(config)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("dr-read-only", NEVER_WRITE)).build();
    }

    /** Stops a mutating request to a cluster dr only reads, in a run as in a preview. */
    static final Interceptor NEVER_WRITE = new Interceptor() {
        @Override
        public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
            if (!"GET".equals(request.method())) {
                throw new IllegalStateException("dr only reads this cluster: refused " + request.method() + " " + request.uri());
            }
        }
    };

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

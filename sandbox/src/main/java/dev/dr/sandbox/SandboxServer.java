package dev.dr.sandbox;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;

/**
 * The sandbox's DR cluster: fabric8's mock API server in CRUD mode on loopback, in a process of
 * its own (a real DR cluster outlives the command that created it), with a small controller
 * that plays the Job controller: it completes each new Job, or, when the image ref contains
 * {@code fail-pull}, makes its pod fail to pull for lack of credentials on the first try, so a
 * drill's retries can be seen. It writes its kubeconfig, then runs until stopped (or idle for
 * the lifetime given). Beside it runs the sandbox's S3 server (S3Proxy, in memory) with the
 * plan's bucket, for control-plane bundles and backups.
 *
 * <p>Its libraries (the mock server, S3Proxy and all S3Proxy brings) are not on dr's class path
 * under JBang: runner/sandbox.java builds it with its own dependencies, so that every dr
 * command does not start with them. Under Maven it runs on the build's class path.
 *
 * <p>Usage: {@code SandboxServer <folder> <lifetime seconds> [<bucket>]}.
 */
public final class SandboxServer {

    // The files the server leaves in its folder. sandbox.up (in dr's process, on another class path)
    // reads them under the same names: SandboxFilesAgreementTest holds both sides together.
    /** The kubeconfig of the mock API server. */
    public static final String KUBECONFIG = "kubeconfig.yaml";
    /** Written last, with the server's pid, once both servers serve. */
    public static final String READY = "sandbox.ready";
    /** The S3 server's endpoint URL. */
    public static final String S3_ENDPOINT = "s3.endpoint";


    private SandboxServer() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Duration lifetime = Duration.ofSeconds(Long.parseLong(args[1]));
        // The discovery documents kubectl needs, its OpenAPI documents and the field validation,
        // dry runs and strategic merge patches that rest on them, then the CRUD store, which fills
        // in Kubernetes' defaults on every write as a real API server does.
        DefaultingDispatcher crud = new DefaultingDispatcher();
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new Discovery.Dispatcher(new OpenApiDispatcher(crud, crud, KubeOpenApi.load())), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        try (KubernetesClient client = server.createClient(); LocalS3 s3 = LocalS3.start(null)) {
            if (args.length > 2 && !args[2].isBlank()) {
                s3.createBucket(args[2]);
            }
            writeAtomically(dir.resolve(S3_ENDPOINT), s3.endpoint() + "\n");
            writeAtomically(dir.resolve(KUBECONFIG), kubeconfig(client.getMasterUrl().toString()));
            writeAtomically(dir.resolve(READY), ProcessHandle.current().pid() + "\n");
            control(client, System.nanoTime() + lifetime.toNanos());
        } finally {
            server.destroy();
        }
    }

    /** The Job controller of the sandbox, until the deadline. */
    static void control(KubernetesClient client, long deadline) throws InterruptedException {
        Set<String> seen = new HashSet<>();
        Set<String> failedOnce = new HashSet<>();
        while (System.nanoTime() < deadline) {
            for (Job j : client.batch().v1().jobs().inAnyNamespace().list().getItems()) {
                if (!seen.add(j.getMetadata().getUid())) {
                    continue;
                }
                String ns = j.getMetadata().getNamespace();
                String name = j.getMetadata().getName();
                String image = j.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
                if (image.contains("fail-pull") && failedOnce.add(ns + "/" + name)) {
                    client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata()
                            .withName(name + "-" + j.getMetadata().getUid().substring(0, 5))
                            .addToLabels("job-name", name).addToLabels("controller-uid", j.getMetadata().getUid()).endMetadata()
                            .withNewStatus().withContainerStatuses(new ContainerStatusBuilder().withName("validate")
                                    .withNewState().withNewWaiting().withReason("ErrImagePull")
                                    .withMessage("pull access denied: 401 Unauthorized (sandbox)").endWaiting().endState().build())
                            .endStatus().build()).create();
                } else {
                    client.batch().v1().jobs().inNamespace(ns).withName(name).editStatus(x -> {
                        x.setStatus(new JobStatusBuilder().withSucceeded(1).build());
                        return x;
                    });
                }
            }
            Thread.sleep(200);
        }
    }

    static String kubeconfig(String url) {
        return String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters: [{name: dr-sandbox, cluster: {server: \"" + url + "\"}}]",
                "contexts: [{name: dr-sandbox, context: {cluster: dr-sandbox, user: sandbox, namespace: jobintel}}]",
                "current-context: dr-sandbox", "users: [{name: sandbox, user: {token: sandbox}}]", "");
    }

    static void writeAtomically(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), ".sandbox", ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

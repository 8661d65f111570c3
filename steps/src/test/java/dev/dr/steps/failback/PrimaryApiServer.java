package dev.dr.steps.failback;

import dev.dr.steps.EarlierRun;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The primary cluster of a failback test: a second fabric8 mock API server in CRUD mode on
 * loopback, beside the DR one, with the requests it got, to show the failback only read it.
 */
final class PrimaryApiServer implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;
    final Path kubeconfig;

    private PrimaryApiServer(KubernetesMockServer server, Path kubeconfig) {
        this.server = server;
        this.client = server.createClient();
        this.kubeconfig = kubeconfig;
    }

    /** Started, its kubeconfig written to {@code kubeconfig}. */
    static PrimaryApiServer start(Path kubeconfig) throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new PrimaryApiServer(server, EarlierRun.kubeconfig(kubeconfig, server.url("/").replaceAll("/$", "")));
    }

    /** The daily CronJob in {@code ns}, not suspended: the primary's schedule as it was before the failback. */
    void dailyCronJob(String ns) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.batch().v1().cronjobs().inNamespace(ns).resource(new CronJobBuilder().withNewMetadata()
                .withName("jobintel-daily").endMetadata().withNewSpec().withSchedule("0 6 * * *").withSuspend(false)
                .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                .addNewContainer().withName("daily").withImage("r.example/jobintel:1").endContainer()
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
    }

    /** A Job of {@code ns}/jobintel-daily (owned by it, as the CronJob controller makes them), active or not. */
    void dailyJob(String ns, String name, boolean active) {
        String uid = client.batch().v1().cronjobs().inNamespace(ns).withName("jobintel-daily").get().getMetadata().getUid();
        client.batch().v1().jobs().inNamespace(ns).resource(new JobBuilder().withNewMetadata().withName(name)
                .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("jobintel-daily")
                .withUid(uid).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer()
                .withName("daily").withImage("r.example/jobintel:1").endContainer().endSpec().endTemplate().endSpec()
                .build()).create();
        finish(ns, name, !active);
    }

    /** Sets the Job's status (the mock has no Job controller): active, or succeeded. */
    void finish(String ns, String name, boolean done) {
        client.batch().v1().jobs().inNamespace(ns).withName(name).editStatus(j -> new JobBuilder(j).withNewStatus()
                .withActive(done ? 0 : 1).withSucceeded(done ? 1 : 0).endStatus().build());
    }

    /** "METHOD path" of every request since the last call (the test's own seeding included). */
    List<String> requests() throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
            out.add(r.getMethod() + " " + r.getPath());
        }
        return out;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}

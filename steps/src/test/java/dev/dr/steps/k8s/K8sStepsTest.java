package dev.dr.steps.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.catalog.StepCatalog;
import dev.dr.diff.Planner;
import dev.dr.engine.Attempt;
import dev.dr.engine.Engine;
import dev.dr.engine.EngineListener;
import dev.dr.engine.PhaseOutcome;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Plan;
import dev.dr.sandbox.DefaultingApiServer;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * k8s.namespace and k8s.run-job through the engine, with the real fabric8 client against
 * fabric8's mock API server in CRUD mode. The mock has no controllers, so a small controller
 * thread here plays the cluster: it completes the Job, or makes its pod fail to pull.
 */
@ExtendWith(DefaultingApiServer.class)
class K8sStepsTest {

    static final String NS = "jobintel";
    static final String IMAGE = "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "b".repeat(64);

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    final List<Thread> controllers = new ArrayList<>();

    @AfterEach
    void stopControllers() throws InterruptedException {
        for (Thread t : controllers) {
            t.interrupt();
            t.join(5000);
        }
    }

    Path kubeconfig() throws Exception {
        Path f = dir.resolve("kubeconfig.yaml");
        Files.writeString(f, String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters: [{name: mock, cluster: {server: \"" + client.getMasterUrl() + "\"}}]",
                "contexts: [{name: mock, context: {cluster: mock, user: mock, namespace: " + NS + "}}]",
                "current-context: mock",
                "users: [{name: mock, user: {token: mock-token}}]", ""), StandardCharsets.UTF_8);
        return f;
    }

    Plan plan(String retry) throws Exception {
        Path f = dir.resolve("plan.yaml");
        Files.writeString(f, String.join("\n",
                "apiVersion: dr/v1",
                "kind: DrillPlan",
                "metadata: {name: k8s-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: " + NS + "}",
                "inputs: {imageRef: \"" + IMAGE + "\"}",
                "sizing:",
                "  instanceType: t4g.medium",
                "  validateJob: {requests: {cpu: 250m, memory: 512Mi}, limits: {cpu: \"1\", memory: 2Gi}}",
                "retry: {phases: {validate: " + retry + "}}",
                "phases:",
                "  - name: restore",
                "    steps: [{uses: k8s.namespace}, {uses: k8s.require, with: {resource: cronjob.batch/jobintel-daily, timeout: 5s}}]",
                "  - name: validate",
                "    timeout: 1m",
                "    steps: [{uses: k8s.run-job, with: {name: jobintel-validate, timeout: 20s}}]",
                ""), StandardCharsets.UTF_8);
        LoadedPlan lp = new PlanLoader(StepCatalog.load(getClass().getClassLoader())).load(f, "plan.yaml", Map.of(), Overrides.NONE);
        assertThat(lp.errors()).isEmpty();
        return lp.plan().orElseThrow();
    }

    Engine.Outcome run(Plan plan, List<String> log) throws Exception {
        Engine engine = new Engine(StepCatalog.load(getClass().getClassLoader()), Clock.systemUTC(), d -> { }, new EngineListener() {
            @Override public void phaseFinished(PhaseOutcome o) { }
            @Override public void log(String phase, String line) {
                synchronized (log) {
                    log.add(phase + ": " + line);
                }
            }
        });
        return engine.run(plan, Planner.decide(plan), new Engine.Run("run-k8s", Optional.empty(),
                Map.of("kubeconfig", kubeconfig().toString()), dir.resolve("work")));
    }

    /** Plays the cluster: calls {@code onJob} for every new Job it sees (by uid). */
    void controller(Consumer<Job> onJob) {
        Thread t = new Thread(() -> {
            java.util.Set<String> seen = new java.util.HashSet<>();
            while (!Thread.currentThread().isInterrupted()) {
                for (Job j : client.batch().v1().jobs().inNamespace(NS).list().getItems()) {
                    if (seen.add(j.getMetadata().getUid())) {
                        onJob.accept(j);
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "test-controller");
        t.setDaemon(true);
        t.start();
        controllers.add(t);
    }

    void complete(Job j) {
        client.batch().v1().jobs().inNamespace(NS).withName(j.getMetadata().getName())
                .editStatus(x -> { x.setStatus(new JobStatusBuilder().withSucceeded(1).build()); return x; });
    }

    void failToPull(Job j) {
        Pod pod = new PodBuilder().withNewMetadata().withName(j.getMetadata().getName() + "-" + j.getMetadata().getUid().substring(0, 5))
                .addToLabels("job-name", j.getMetadata().getName())
                .addToLabels("controller-uid", j.getMetadata().getUid()).endMetadata()
                .withNewStatus().withContainerStatuses(new ContainerStatusBuilder().withName("validate")
                        .withNewState().withNewWaiting().withReason("ErrImagePull")
                        .withMessage("pull access denied: 401 Unauthorized").endWaiting().endState().build())
                .endStatus().build();
        client.pods().inNamespace(NS).resource(pod).create();
    }

    void dailyCronJob() {
        client.batch().v1().cronjobs().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder()
                .withNewMetadata().withName("jobintel-daily").endMetadata()
                .withNewSpec().withSchedule("0 6 * * *").withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec()
                .addNewContainer().withName("daily").withImage(IMAGE).endContainer().withRestartPolicy("Never")
                .endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build()).create();
    }

    @Test
    void restoreFailsAsNotFoundWithoutTheDailyCronJob() throws Exception {
        Engine.Outcome o = run(plan("{maxAttempts: 1}"), new ArrayList<>());
        assertThat(o.phases().get(0).reasonKind()).isEqualTo("not-found");
        assertThat(o.phases().get(0).detail()).contains("cronjob.batch/jobintel-daily did not appear in namespace jobintel");
        assertThat(o.phases().get(1).reasonKind()).isEqualTo("upstream-failed");
    }

    @Test
    void ensuresTheNamespaceAndRunsTheValidateJobWithThePlansResources() throws Exception {
        dailyCronJob();
        controller(this::complete);
        List<String> log = new ArrayList<>();
        Engine.Outcome o = run(plan("{maxAttempts: 1}"), log);
        assertThat(o.verdict()).as(String.join("\n", log)).isEqualTo(Engine.Verdict.SUCCESS);
        assertThat(client.namespaces().withName(NS).get()).isNotNull();
        Job job = client.batch().v1().jobs().inNamespace(NS).withName("jobintel-validate").get();
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo(IMAGE);
        assertThat(container.getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
        assertThat(container.getResources().getRequests().get("memory").toString()).isEqualTo("512Mi");
        assertThat(container.getResources().getLimits().get("cpu").toString()).isEqualTo("1");
        assertThat(container.getResources().getLimits().get("memory").toString()).isEqualTo("2Gi");
        assertThat(o.phases().get(1).outputs()).containsEntry("validate.job", NS + "/jobintel-validate");
        assertThat(log).anyMatch(l -> l.contains("namespace jobintel: created"));
    }

    @Test
    void anImagePullAuthFailureIsRetriedAsBudgetedWithTheOldJobCleanedUp() throws Exception {
        dailyCronJob();
        AtomicInteger jobs = new AtomicInteger();
        controller(j -> {
            if (jobs.incrementAndGet() == 1) {
                failToPull(j);
            } else {
                complete(j); // the first attempt's pod stays behind, as after a real ErrImagePull
            }
        });
        List<String> log = new ArrayList<>();
        Engine.Outcome o = run(plan("{maxAttempts: 2, retryOn: [image-pull-auth]}"), log);
        PhaseOutcome validate = o.phases().get(1);
        assertThat(validate.status()).as(String.join("\n", log)).isEqualTo(PhaseOutcome.Status.SUCCESS);
        assertThat(validate.attempts()).extracting(Attempt::errorClass).containsExactly("image-pull-auth", null);
        assertThat(jobs.get()).as("a new Job per attempt").isEqualTo(2);
        assertThat(log).anyMatch(l -> l.contains("deleting the Job of an earlier attempt"));
    }

    @Test
    void anImagePullAuthFailureOutsideRetryOnFailsAtOnce() throws Exception {
        dailyCronJob();
        controller(this::failToPull);
        Engine.Outcome o = run(plan("{maxAttempts: 3, retryOn: [insufficient-memory]}"), new ArrayList<>());
        PhaseOutcome validate = o.phases().get(1);
        assertThat(validate.status()).isEqualTo(PhaseOutcome.Status.FAILED);
        assertThat(validate.reasonKind()).isEqualTo("image-pull-auth");
        assertThat(validate.attempts()).hasSize(1);
    }

    @Test
    void aFailedJobIsAPermanentFailure() throws Exception {
        dailyCronJob();
        controller(j -> client.batch().v1().jobs().inNamespace(NS).withName(j.getMetadata().getName())
                .editStatus(x -> { x.setStatus(new JobStatusBuilder().withFailed(1).build()); return x; }));
        Engine.Outcome o = run(plan("{maxAttempts: 3, retryOn: [image-pull-auth, insufficient-memory]}"), new ArrayList<>());
        assertThat(o.phases().get(1).reasonKind()).isEqualTo("permanent");
        assertThat(o.phases().get(1).attempts()).hasSize(1);
    }
}

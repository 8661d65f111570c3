package dev.dr.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sandbox's API server fills in the defaults a real API server (1.32) fills in, and keeps what was set. */
@ExtendWith(DefaultingApiServer.class)
class DefaultingDispatcherTest {
    KubernetesClient client;

    <T extends HasMetadata> T create(String yaml) {
        HasMetadata o = Serialization.unmarshal(yaml);
        @SuppressWarnings("unchecked")
        T created = (T) client.resource(o).inNamespace("ns").create();
        return created;
    }

    static final String POD_SPEC = String.join("\n",
            "      containers:",
            "      - name: web",
            "        image: r.example/web:1.2",
            "        ports: [{containerPort: 8080}]",
            "        readinessProbe: {httpGet: {port: 8080}}",
            "        env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]",
            "        volumeMounts: [{name: scratch, mountPath: /tmp}]",
            "      - {name: side, image: r.example/side, imagePullPolicy: Never}",
            "      volumes: [{name: scratch}, {name: conf, configMap: {name: c}}]", "");

    static void assertPodSpecDefaults(PodSpec s) {
        assertThat(s.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(s.getRestartPolicy()).isEqualTo("Always");
        assertThat(s.getSchedulerName()).isEqualTo("default-scheduler");
        assertThat(s.getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(s.getSecurityContext()).isNotNull();
        var web = s.getContainers().get(0);
        assertThat(web.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(web.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
        assertThat(web.getTerminationMessagePolicy()).isEqualTo("File");
        assertThat(web.getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(web.getReadinessProbe().getTimeoutSeconds()).isEqualTo(1);
        assertThat(web.getReadinessProbe().getPeriodSeconds()).isEqualTo(10);
        assertThat(web.getReadinessProbe().getSuccessThreshold()).isEqualTo(1);
        assertThat(web.getReadinessProbe().getFailureThreshold()).isEqualTo(3);
        assertThat(web.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");
        assertThat(web.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
        assertThat(web.getEnv().get(0).getValueFrom().getFieldRef().getApiVersion()).isEqualTo("v1");
        // Set values stay; no tag means latest, which is pulled always.
        assertThat(s.getContainers().get(1).getImagePullPolicy()).isEqualTo("Never");
        assertThat(s.getVolumes().get(0).getEmptyDir()).isNotNull();
        assertThat(s.getVolumes().get(1).getConfigMap().getDefaultMode()).isEqualTo(420);
    }

    @Test
    void aDeploymentGetsItsDefaultsAndItsPodTemplatesAndTheAnswerToTheCreateHasThem() {
        Deployment answer = create(String.join("\n", "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}",
                "spec:", "  selector: {matchLabels: {app: web}}", "  template:", "    metadata: {labels: {app: web}}",
                "    spec:", POD_SPEC));
        Deployment stored = client.apps().deployments().inNamespace("ns").withName("web").get();
        for (Deployment d : new Deployment[] {answer, stored}) {
            assertThat(d.getSpec().getReplicas()).isEqualTo(1);
            assertThat(d.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
            assertThat(d.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
            assertThat(d.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
            assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal()).isEqualTo("25%");
            assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal()).isEqualTo("25%");
            assertPodSpecDefaults(d.getSpec().getTemplate().getSpec());
            // A template is not a Pod: no enableServiceLinks there.
            assertThat(d.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isNull();
        }
    }

    @Test
    void aJobAndACronJobGetTheirDefaultsButNotTheJobsDefaultsInTheCronJobsTemplate() {
        Job job = create(String.join("\n", "apiVersion: batch/v1", "kind: Job", "metadata: {name: once}", "spec:",
                "  template:", "    metadata: {labels: {app: once}}", "    spec:", "      restartPolicy: Never",
                "      containers: [{name: once, image: \"r.example/once@sha256:" + "a".repeat(64) + "\"}]", ""));
        assertThat(job.getSpec().getCompletions()).isEqualTo(1);
        assertThat(job.getSpec().getParallelism()).isEqualTo(1);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(6);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("NonIndexed");
        assertThat(job.getSpec().getSuspend()).isFalse();
        assertThat(job.getSpec().getPodReplacementPolicy()).isEqualTo("TerminatingOrFailed");
        assertThat(job.getMetadata().getLabels()).containsExactly(Map.entry("app", "once"));
        // What the Job registry adds: pod labels and a selector on the Job's uid.
        String uid = job.getMetadata().getUid();
        assertThat(job.getSpec().getSelector().getMatchLabels())
                .containsExactly(Map.entry("batch.kubernetes.io/controller-uid", uid));
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("app", "once")
                .containsEntry("batch.kubernetes.io/job-name", "once").containsEntry("controller-uid", uid);
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        // A digest without a tag is not "latest".
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("IfNotPresent");

        CronJob cron = create(String.join("\n", "apiVersion: batch/v1", "kind: CronJob", "metadata: {name: daily}", "spec:",
                "  schedule: \"0 6 * * *\"", "  successfulJobsHistoryLimit: 5", "  jobTemplate:", "    spec:",
                "      template:", "        spec:", "          restartPolicy: OnFailure",
                "          containers: [{name: daily, image: \"r.example/daily:latest\"}]", ""));
        cron = client.batch().v1().cronjobs().inNamespace("ns").withName("daily").get();
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Allow");
        assertThat(cron.getSpec().getSuspend()).isFalse();
        assertThat(cron.getSpec().getSuccessfulJobsHistoryLimit()).isEqualTo(5);
        assertThat(cron.getSpec().getFailedJobsHistoryLimit()).isEqualTo(1);
        assertThat(cron.getSpec().getJobTemplate().getSpec().getBackoffLimit()).isNull();
        PodSpec s = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(s.getRestartPolicy()).isEqualTo("OnFailure");
        assertThat(s.getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(s.getContainers().get(0).getImagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void aPodAStatefulSetAndAServiceAccountGetWhatTheirKindsGet() {
        Pod pod = create(String.join("\n", "apiVersion: v1", "kind: Pod", "metadata: {name: p}", "spec:",
                "  containers: [{name: c, image: r.example/c:1, resources: {limits: {cpu: 500m}}}]", ""));
        assertThat(pod.getSpec().getEnableServiceLinks()).isTrue();
        assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests()).containsKey("cpu");
        StatefulSet sts = create(String.join("\n", "apiVersion: apps/v1", "kind: StatefulSet", "metadata: {name: db}",
                "spec:", "  serviceName: db", "  selector: {matchLabels: {app: db}}", "  template:",
                "    metadata: {labels: {app: db}}", "    spec:", POD_SPEC));
        assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("OrderedReady");
        assertThat(sts.getSpec().getUpdateStrategy().getRollingUpdate().getPartition()).isZero();
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertPodSpecDefaults(sts.getSpec().getTemplate().getSpec());
        HasMetadata sa = create("{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"runner\"}}");
        assertThat(Serialization.asJson(client.serviceAccounts().inNamespace("ns").withName("runner").get()))
                .doesNotContain("secrets").doesNotContain("imagePullSecrets");
        assertThat(sa.getMetadata().getUid()).isNotBlank();
    }

    @Test
    void aServiceGetsItsDefaultsAndAClusterIpThatAnUpdateWhichOmitsItKeeps() {
        Service svc = create(String.join("\n", "apiVersion: v1", "kind: Service", "metadata: {name: web}", "spec:",
                "  selector: {app: web}", "  ports: [{name: http, port: 80}, {name: admin, port: 81, targetPort: admin}]", ""));
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("None");
        assertThat(svc.getSpec().getInternalTrafficPolicy()).isEqualTo("Cluster");
        assertThat(svc.getSpec().getExternalTrafficPolicy()).isNull();
        assertThat(svc.getSpec().getPorts().get(0).getProtocol()).isEqualTo("TCP");
        assertThat(svc.getSpec().getPorts().get(0).getTargetPort().getIntVal()).isEqualTo(80);
        assertThat(svc.getSpec().getPorts().get(1).getTargetPort().getStrVal()).isEqualTo("admin");
        String ip = svc.getSpec().getClusterIP();
        assertThat(ip).startsWith("10.9");
        assertThat(svc.getSpec().getClusterIPs()).containsExactly(ip);
        assertThat(svc.getSpec().getIpFamilies()).containsExactly("IPv4");

        Service other = create("{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"np\"},"
                + "\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":90}]}}");
        assertThat(other.getSpec().getClusterIP()).isNotEqualTo(ip);
        assertThat(other.getSpec().getPorts().get(0).getNodePort()).isBetween(30000, 32767);
        assertThat(other.getSpec().getExternalTrafficPolicy()).isEqualTo("Cluster");

        // A patch that drops defaulted fields gets them back, and the cluster IP stays.
        Service patched = client.services().inNamespace("ns").withName("web").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\":\"remove\",\"path\":\"/spec/clusterIP\"},{\"op\":\"remove\",\"path\":\"/spec/sessionAffinity\"}]");
        assertThat(patched.getSpec().getSessionAffinity()).isEqualTo("None");
        svc = client.services().inNamespace("ns").withName("web").get();
        assertThat(svc.getSpec().getClusterIP()).isEqualTo(ip);
        assertThat(svc.getSpec().getSessionAffinity()).isEqualTo("None");
    }

    @Test
    void aReplaceThatOmitsDefaultedFieldsGetsThemBack() {
        Deployment d = create(String.join("\n", "apiVersion: apps/v1", "kind: Deployment", "metadata: {name: web}",
                "spec:", "  replicas: 3", "  selector: {matchLabels: {app: web}}", "  template:",
                "    metadata: {labels: {app: web}}", "    spec:", POD_SPEC));
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImagePullPolicy(null);
        d.getSpec().getTemplate().getSpec().setDnsPolicy(null);
        Deployment replaced = client.resource(d).inNamespace("ns").update();
        assertThat(replaced.getSpec().getTemplate().getSpec().getDnsPolicy()).isEqualTo("ClusterFirst");
        assertThat(replaced.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(replaced.getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void pullPolicyFollowsTheTagAsKubernetesParsesIt() {
        assertThat(Defaults.pullPolicy("nginx")).isEqualTo("Always");
        assertThat(Defaults.pullPolicy("nginx:latest")).isEqualTo("Always");
        assertThat(Defaults.pullPolicy("localhost:5000/nginx")).isEqualTo("Always");
        assertThat(Defaults.pullPolicy("localhost:5000/nginx:1.27")).isEqualTo("IfNotPresent");
        assertThat(Defaults.pullPolicy("nginx@sha256:" + "b".repeat(64))).isEqualTo("IfNotPresent");
        assertThat(Defaults.pullPolicy("nginx:latest@sha256:" + "b".repeat(64))).isEqualTo("Always");
    }
}

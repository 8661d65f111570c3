package dev.dr.steps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl at its defaults against the sandbox's API server, as an operator inspects a DR
 * cluster: apply validates against the server's OpenAPI documents (and a manifest with an
 * unknown field is refused as a real cluster refuses it), diff dry-runs on the server and stores
 * nothing, and a second apply patches what the first created.
 */
class KubectlAgainstSandboxTest {
    static final String HINT = "install Debian's kubernetes-client (apt-get install kubernetes-client), as .ci/run does";
    static final Path MANIFESTS = Path.of(System.getProperty("dr.projectDir", ".")).toAbsolutePath()
            .resolve("examples/sandbox/manifests");

    @TempDir
    static Path dir;
    static RunningSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = RunningSandbox.start(Files.createDirectories(dir.resolve("sandbox")));
        ok(kubectl("apply", "-f", Files.writeString(dir.resolve("ns.yaml"),
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jobintel\n").toString()));
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    static RunningSandbox.Run kubectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", sandbox.kubeconfig().toString()));
        cmd.addAll(List.of(args));
        return RunningSandbox.tool(dir, Map.of("KUBECACHEDIR", dir.resolve("kube-cache").toString()), HINT,
                cmd.toArray(String[]::new));
    }

    static void ok(RunningSandbox.Run r) {
        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void diffApplyAndGetTheSandboxManifestsWithDefaultValidation() throws Exception {
        RunningSandbox.Run diff = kubectl("diff", "-f", MANIFESTS.toString());
        assertThat(diff.exit()).as("diff exits 1 when there are differences: " + diff.out()).isEqualTo(1);
        assertThat(diff.out()).contains("+  schedule: 0 6 * * *").contains("+  name: jobintel-settings");
        assertThat(kubectl("get", "cronjob", "jobintel-daily", "-n", "jobintel").exit())
                .as("diff's dry run stored nothing").isNotZero();

        RunningSandbox.Run apply = kubectl("apply", "-f", MANIFESTS.toString());
        ok(apply);
        assertThat(apply.out()).contains("configmap/jobintel-settings created").contains("cronjob.batch/jobintel-daily created");
        RunningSandbox.Run same = kubectl("diff", "-f", MANIFESTS.toString());
        assertThat(same.exit()).as(same.out()).isZero();
        RunningSandbox.Run get = kubectl("get", "configmaps,cronjobs", "-n", "jobintel");
        ok(get);
        assertThat(get.out()).contains("jobintel-settings").contains("jobintel-daily");

        // a changed image: diff shows it, and the second apply's strategic merge patch changes the
        // container in place (merged by name), not a second one
        Path changed = Files.writeString(dir.resolve("daily.yaml"), Files.readString(MANIFESTS.resolve("20-daily.yaml"))
                .replace("sandbox.local/jobintel:daily", "sandbox.local/jobintel:daily-2"));
        RunningSandbox.Run diff2 = kubectl("diff", "-f", changed.toString());
        assertThat(diff2.out()).contains("-          - image: sandbox.local/jobintel:daily\n")
                .contains("+          - image: sandbox.local/jobintel:daily-2\n");
        RunningSandbox.Run apply2 = kubectl("apply", "--validate=strict", "-f", changed.toString());
        ok(apply2);
        assertThat(apply2.out()).contains("cronjob.batch/jobintel-daily configured");
        RunningSandbox.Run containers = kubectl("get", "cronjob", "jobintel-daily", "-n", "jobintel",
                "-o", "jsonpath={.spec.jobTemplate.spec.template.spec.containers}");
        // one container, with the API server's defaults beside what the manifest sets
        assertThat(containers.out()).isEqualTo("[{\"image\":\"sandbox.local/jobintel:daily-2\",\"imagePullPolicy\":\"IfNotPresent\","
                + "\"name\":\"daily\",\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}]");
    }

    @Test
    void aManifestWithAnUnknownFieldIsRefusedAsByARealCluster() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), String.join("\n", "apiVersion: batch/v1", "kind: Job",
                "metadata:", "  name: typo", "  namespace: jobintel", "spec:", "  template:", "    spec:",
                "      restartPolicy: Never", "      containers:", "        - name: main", "          image: busybox",
                "          imagePullPolicyX: Always", ""));
        for (String validate : List.of("--validate=true", "--validate=strict")) {
            RunningSandbox.Run r = kubectl("apply", validate, "-f", bad.toString());
            assertThat(r.exit()).as(r.out()).isNotZero();
            assertThat(r.out()).contains("error when creating \"" + bad + "\": Job in version \"v1\" cannot be handled as a Job:"
                    + " strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolicyX\"");
        }
        assertThat(kubectl("get", "job", "typo", "-n", "jobintel").exit()).as("nothing was created").isNotZero();
        RunningSandbox.Run warned = kubectl("apply", "--validate=warn", "-f", bad.toString());
        ok(warned);
        assertThat(warned.out()).contains("Warning: unknown field \"spec.template.spec.containers[0].imagePullPolicyX\"");
        assertThat(kubectl("get", "job", "typo", "-n", "jobintel", "-o", "jsonpath={.spec.template.spec.containers[0]}").out())
                .as("the unknown field was dropped; the defaults filled in as a real API server does (latest tag: Always)")
                .isEqualTo("{\"image\":\"busybox\",\"imagePullPolicy\":\"Always\",\"name\":\"main\","
                        + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\"}");
    }

    @Test
    void explainReadsTheServersSchemas() throws Exception {
        RunningSandbox.Run r = kubectl("explain", "cronjob.spec.schedule");
        ok(r);
        assertThat(r.out()).contains("KIND:       CronJob").contains("FIELD: schedule <string>");
    }
}

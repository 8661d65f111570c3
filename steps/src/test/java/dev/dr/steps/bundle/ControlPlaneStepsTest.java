package dev.dr.steps.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.cli.DrRun;
import dev.dr.sandbox.DefaultingApiServer;
import dev.dr.sandbox.LocalS3;
import dev.dr.steps.EarlierRun;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * control-plane.publish, .fetch and .apply through dr plan and dr apply, against S3Proxy and
 * the sandbox's API server (fabric8's CRUD mock, defaulting as a cluster does), both on loopback.
 */
@ExtendWith(DefaultingApiServer.class)
class ControlPlaneStepsTest {

    static final String BUCKET = "drill-artifacts";

    KubernetesMockServer server;
    KubernetesClient client;
    LocalS3 s3;

    @TempDir
    Path dir;

    Path source;
    Path earlier;

    @BeforeEach
    void setUp() throws Exception {
        s3 = LocalS3.start(null);
        s3.createBucket(BUCKET);
        source = dir.resolve("primary");
        write("candidates/boards.yaml", "boards: [greenhouse, lever]\n");
        write("alerts/rules.yaml", "rules: []\n");
        write("providers/providers.json", "{\"providers\": []}\n");
        write("scoring/weights.yaml", "title: 0.4\nseniority: 0.6\n");
        earlier = earlierRun();
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
    }

    void write(String rel, String content) throws Exception {
        Path f = source.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
    }

    /** A bringup receipt that says where the cluster and the S3 server are, as the sandbox's does. */
    Path earlierRun() throws Exception {
        Path kubeconfig = EarlierRun.kubeconfig(dir.resolve("kubeconfig.yaml"), client.getMasterUrl().toString());
        return EarlierRun.write(dir.resolve("receipts"), "bringup-run",
                Map.of("kubeconfig", kubeconfig.toString(), "s3.endpoint", s3.endpoint().toString()));
    }

    Path plan(String phases) throws Exception {
        Path f = dir.resolve(phases.contains("publish-bundle") ? "publish.yaml" : "restore.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: cp-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "inputs: {bucket: " + BUCKET + ", prefix: jobintel, imageRef: \"r.example/jobintel@sha256:" + "a".repeat(64) + "\"}",
                "sizing: {instanceType: t4g.medium}",
                "run: {fromReceipt: \"" + earlier + "\", receiptDir: \"" + dir.resolve("receipts") + "\"}",
                "phases:", phases, ""));
        return f;
    }

    String publish() {
        return String.join("\n", "  - name: publish-bundle", "    steps: [{uses: control-plane.publish, with: {source: \"" + source
                + "\", gitSha: 0123456789abcdef0123456789abcdef01234567}}]");
    }
    static final String RESTORE = String.join("\n", "  - name: restore",
            "    steps: [{uses: control-plane.fetch}, {uses: k8s.namespace}, {uses: control-plane.apply}]");

    DrRun dr(String... args) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString()), args);
    }

    S3Objects objects() {
        return new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false));
    }

    Pointer pointer() throws Exception {
        try (S3Objects o = objects()) {
            return Pointer.parse(o.readSmall(S3Uri.parse("s3://" + BUCKET + "/jobintel/control-plane/current.json")).orElseThrow(), "current.json");
        }
    }

    List<String> k8sMethods() throws InterruptedException {
        List<String> methods = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
            methods.add(r.getMethod());
        }
        return methods;
    }

    @Test
    void publishPreviewShowsTheHashAndThePointerMoveThenApplyMovesItOnce() throws Exception {
        Path p = plan(publish());
        DrRun preview = dr("plan", p.toString());
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("+ create s3://drill-artifacts/jobintel/control-plane/bundles/<timestamp>-0123456.tar.gz (sha256 ")
                .contains("+ create s3://drill-artifacts/jobintel/control-plane/current.json (bundle_sha256 none -> ");

        DrRun first = dr("apply", p.toString(), "--yes");
        assertThat(first.exit()).as(first.err()).isZero();
        Pointer one = pointer();
        assertThat(one.bundleUri()).matches("s3://drill-artifacts/jobintel/control-plane/bundles/\\d{8}T\\d{6}Z-0123456\\.tar\\.gz");
        assertThat(one.gitSha()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
        assertThat(one.imageRefDigest()).isEqualTo("r.example/jobintel@sha256:" + "a".repeat(64));
        assertThat(preview.out()).contains("(bundle_sha256 none -> " + one.bundleSha256() + ")");

        DrRun again = dr("plan", p.toString());
        assertThat(again.out()).contains("= unchanged s3://drill-artifacts/jobintel/control-plane/current.json (already names bundle sha256 "
                + one.bundleSha256() + ")");
        DrRun second = dr("apply", p.toString(), "--yes");
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(pointer()).isEqualTo(one);
    }

    @Test
    void aFailedBuildLeavesTheOldPointerInForce() throws Exception {
        Path p = plan(publish());
        assertThat(dr("apply", p.toString(), "--yes").exit()).isZero();
        Pointer before = pointer();
        write("scoring/weights.yaml", "title: 0.5\nseniority: 0.5\n");
        Files.createSymbolicLink(source.resolve("alerts/escape.yaml"), Path.of("../outside.yaml"));
        DrRun r = dr("apply", p.toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("publish-bundle: failed");
        assertThat(pointer()).isEqualTo(before);
    }

    @Test
    void aControlPlaneTheRestoreCouldNotRenderIsRefusedAtPublishAndNothingIsUploaded() throws Exception {
        Path p = plan(publish());
        assertThat(dr("apply", p.toString(), "--yes").exit()).isZero();
        Pointer before = pointer();
        List<String> objectsBefore = bundleObjects();
        write("scoring/größe.txt", "a key a ConfigMap cannot have\n");
        String rule = "scoring/größe.txt: its ConfigMap key größe.txt is not valid;";

        // The preview already says why: a live preview's failure is shown in the plan-diff.
        DrRun preview = dr("plan", p.toString());
        assertThat(preview.out()).contains("live preview failed (permanent: control-plane.publish: " + rule)
                .contains("[-._a-zA-Z0-9]+");
        DrRun r = dr("apply", p.toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("publish-bundle: failed").contains(rule);
        assertThat(pointer()).isEqualTo(before);
        assertThat(bundleObjects()).isEqualTo(objectsBefore);
    }

    @Test
    void theRefusalIsShownEvenWhereS3CannotBeRead() throws Exception {
        // port 9 (discard) on loopback: nothing listens, so the pointer cannot be read
        earlier = EarlierRun.write(dir.resolve("receipts"), "unreachable-run", Map.of("kubeconfig",
                EarlierRun.kubeconfig(dir.resolve("kubeconfig.yaml"), client.getMasterUrl().toString()).toString(),
                "s3.endpoint", "http://127.0.0.1:9"));
        write("scoring/größe.txt", "a key a ConfigMap cannot have\n");
        DrRun preview = dr("plan", plan(publish()).toString());
        assertThat(preview.out()).contains("live preview failed (permanent: control-plane.publish: scoring/größe.txt: its"
                + " ConfigMap key größe.txt is not valid;");
    }

    List<String> bundleObjects() {
        try (S3Objects o = objects()) {
            return o.list(S3Uri.parse("s3://" + BUCKET + "/jobintel/control-plane/bundles/")).stream()
                    .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void restoreAppliesTheVerifiedBundleAsConfigMapsAndThePreviewIsPerKey() throws Exception {
        assertThat(dr("apply", plan(publish()).toString(), "--yes").exit()).isZero();
        Path restore = plan(RESTORE);
        k8sMethods();
        DrRun preview = dr("plan", restore.toString());
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("= unchanged read s3://drill-artifacts/jobintel/control-plane/bundles/")
                .contains("+ create ConfigMap jobintel/control-plane-candidates (1 keys)")
                .contains("+ create ConfigMap jobintel/control-plane-scoring (1 keys)");
        assertThat(k8sMethods()).as("the preview only read the cluster").allMatch("GET"::equals);

        DrRun applied = dr("apply", restore.toString(), "--yes");
        assertThat(applied.exit()).as(applied.err()).isZero();
        ConfigMap scoring = client.configMaps().inNamespace("jobintel").withName("control-plane-scoring").get();
        assertThat(scoring.getData()).containsEntry("weights.yaml", "title: 0.4\nseniority: 0.6\n");
        assertThat(scoring.getMetadata().getAnnotations()).containsEntry("dr.dev/bundle-sha256", pointer().bundleSha256());

        // a stale member of the set, and a new bundle with one key changed and one added
        client.configMaps().inNamespace("jobintel").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("control-plane-scoring-1").addToLabels("dr.dev/control-plane", "scoring").endMetadata().build()).create();
        write("scoring/weights.yaml", "title: 0.5\nseniority: 0.5\n");
        write("scoring/extra.yaml", "recency: 0.1\n");
        assertThat(dr("apply", plan(publish()).toString(), "--yes").exit()).isZero();
        DrRun next = dr("plan", restore.toString());
        assertThat(next.out()).contains("~ update ConfigMap jobintel/control-plane-scoring (data.extra.yaml added, data.weights.yaml changed,"
                        + " metadata.annotations.dr.dev/bundle-sha256)")
                .contains("- delete ConfigMap jobintel/control-plane-scoring-1 (no longer in the set)");
        assertThat(dr("apply", restore.toString(), "--yes").exit()).isZero();
        assertThat(client.configMaps().inNamespace("jobintel").withName("control-plane-scoring-1").get()).isNull();
        assertThat(client.configMaps().inNamespace("jobintel").withName("control-plane-scoring").get().getData())
                .containsOnlyKeys("weights.yaml", "extra.yaml");
    }

    @Test
    void aTamperedBundleIsRefusedBeforeAnythingIsApplied() throws Exception {
        assertThat(dr("apply", plan(publish()).toString(), "--yes").exit()).isZero();
        Pointer p = pointer();
        try (S3Objects o = objects()) {
            S3Uri bundle = S3Uri.parse(p.bundleUri());
            byte[] bytes = o.readSmall(bundle).orElseThrow();
            bytes[bytes.length / 2] ^= 0x01;
            o.put(bundle, bytes, "application/gzip");
        }
        DrRun r = dr("apply", plan(RESTORE).toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("restore: attempt 1 failed (permanent: " + p.bundleUri() + ": bundle sha256 ")
                .contains("does not match the pointer's " + p.bundleSha256());
        assertThat(client.namespaces().withName("jobintel").get()).as("nothing was applied").isNull();
    }

    /** Uploads an archive as a bundle and points current.json at it, with the archive's true hash. */
    void repoint(Path archive, String name) throws Exception {
        byte[] bytes = Files.readAllBytes(archive);
        String uri = "s3://" + BUCKET + "/jobintel/control-plane/bundles/" + name + ".tar.gz";
        try (S3Objects o = objects()) {
            o.put(S3Uri.parse(uri), bytes, "application/gzip");
            o.put(S3Uri.parse("s3://" + BUCKET + "/jobintel/control-plane/current.json"), new Pointer(uri,
                    BundleFixtures.sha256(bytes), "2026-11-29T00:00:00Z", "0123456789abcdef0123456789abcdef01234567", "").toJson(),
                    "application/json");
        }
    }

    @Test
    void aBundleThatBreaksItsManifestOrEscapesItsFolderIsRefusedAndNothingIsApplied() throws Exception {
        assertThat(dr("apply", plan(publish()).toString(), "--yes").exit()).isZero();
        Path original = dir.resolve("original.tar.gz");
        try (S3Objects o = objects()) {
            Files.write(original, o.readSmall(S3Uri.parse(pointer().bundleUri())).orElseThrow());
        }
        // a file changed after the manifest was written; the pointer's hash is the archive's own
        repoint(BundleFixtures.repack(original, dir.resolve("changed.tar.gz"),
                e -> e.put("control-plane/scoring/weights.yaml", "title: 1\n".getBytes(StandardCharsets.UTF_8))), "changed");
        DrRun changed = dr("apply", plan(RESTORE).toString(), "--yes");
        assertThat(changed.exit()).isEqualTo(1);
        assertThat(changed.err()).contains("bundles/changed.tar.gz: ").contains("scoring/weights.yaml: expected ");

        repoint(BundleFixtures.repack(original, dir.resolve("evil.tar.gz"),
                e -> e.put("control-plane/../../escape.txt", "x".getBytes(StandardCharsets.UTF_8))), "evil");
        DrRun evil = dr("apply", plan(RESTORE).toString(), "--yes");
        assertThat(evil.exit()).isEqualTo(1);
        assertThat(evil.err()).contains("bundles/evil.tar.gz: ").contains("control-plane/../../escape.txt")
                .contains("escapes the destination");
        try (var walk = Files.walk(dir)) {
            assertThat(walk.map(f -> f.getFileName().toString())).noneMatch("escape.txt"::equals);
        }
        assertThat(client.namespaces().withName("jobintel").get()).as("nothing was applied").isNull();
    }

    @Test
    void aMissingPointerStatesTheBootstrapRule() throws Exception {
        DrRun r = dr("apply", plan(RESTORE).toString(), "--yes");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("(not-found: s3://drill-artifacts/jobintel/control-plane/current.json does not exist: run `dr bundle publish`"
                + " (or the publish-bundle plan) once from the primary before a DR restore)");
    }
}

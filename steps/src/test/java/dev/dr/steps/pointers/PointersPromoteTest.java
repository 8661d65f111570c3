package dev.dr.steps.pointers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.cli.DrRun;
import dev.dr.json.JsonTrees;
import dev.dr.sandbox.LocalS3;
import dev.dr.steps.EarlierRun;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pointers.promote through dr plan and dr apply (drill bypass of the gate), against S3Proxy on loopback. */
class PointersPromoteTest {

    LocalS3 s3;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        try {
            s3 = LocalS3.start(null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        s3.createBucket("drill-artifacts");
    }

    @AfterEach
    void stop() {
        s3.close();
    }

    Path plan() throws Exception {
        Path run = EarlierRun.write(dir.resolve("receipts"), "bringup-run", Map.of("s3.endpoint", s3.endpoint().toString()));
        Path f = dir.resolve("promote.yaml");
        Files.writeString(f, String.join("\n", "apiVersion: dr/v1", "kind: DrillPlan", "metadata: {name: promote-test}",
                "target: {accountId: \"048622080012\", region: us-east-1, namespace: jobintel, environment: sandbox}",
                "inputs: {bucket: drill-artifacts, prefix: jobintel}", "sizing: {instanceType: t4g.medium}",
                "run: {autoPromote: true, allowPromoteBypass: true, fromReceipt: \"" + run + "\", receiptDir: \""
                        + dir.resolve("receipts") + "\"}",
                "phases:", "  - name: promote", "    approval: {required: true, ticketRequired: true, timeout: 1h}",
                "    steps: [{uses: pointers.promote}]", ""));
        return f;
    }

    DrRun dr(String... args) {
        return DrRun.in(dir, Map.of("DR_LOCK_DIR", dir.resolve("locks").toString(), "RUN_ID", "p" + System.nanoTime()), args);
    }

    String canonical() throws Exception {
        try (S3Objects o = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(s3.endpoint()), true), false))) {
            return new String(o.readSmall(S3Uri.parse("s3://drill-artifacts/jobintel/publish/canonical.json")).orElseThrow(),
                    StandardCharsets.UTF_8);
        }
    }

    @Test
    void promoteMakesDrCanonicalOnceAndSaysSoInThePreview() throws Exception {
        Path p = plan();
        DrRun preview = dr("plan", p.toString());
        assertThat(preview.exit()).as(preview.err()).isZero();
        assertThat(preview.out()).contains("~ update s3://drill-artifacts/jobintel/publish/canonical.json (canonical: primary -> dr,"
                + " s3://drill-artifacts/jobintel/dr/publish)");

        DrRun applied = dr("apply", p.toString(), "--yes");
        assertThat(applied.exit()).as(applied.err()).isZero();
        var doc = JsonTrees.read(canonical());
        assertThat(doc.get("canonical").asString()).isEqualTo("dr");
        assertThat(doc.get("publish_prefix").asString()).isEqualTo("s3://drill-artifacts/jobintel/dr/publish");
        assertThat(doc.get("reason").asString()).isEqualTo("promote");

        DrRun again = dr("plan", p.toString());
        assertThat(again.out()).contains("= unchanged s3://drill-artifacts/jobintel/publish/canonical.json (canonical: dr already)");
        assertThat(dr("apply", p.toString(), "--yes").exit()).isZero();
        assertThat(JsonTrees.read(canonical()).get("changed_at").asString()).isEqualTo(doc.get("changed_at").asString());
    }
}

package dev.dr.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.catalog.StepCatalog;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static digest a run is bound to: it moves with the plan files, the inputs, the overrides
 * and the steering flags, and with nothing that live state or a secret's value decides.
 */
class StaticDigestTest {

    static final String BASE = """
            apiVersion: dr/v1
            kind: DrillPlan
            metadata: {name: base}
            target: {accountId: "048622080012", region: us-east-1, namespace: jobintel, environment: sandbox}
            inputs:
              backupUri: ${BACKUP_URI:-}
              imageRef: ${IMAGE_REF:-}
              bucket: ${BUCKET:-}
              prefix: jobintel
            run: {receiptDir: receipts}
            sizing:
              instanceType: t4g.medium
              validateJob:
                requests: {cpu: 250m, memory: 512Mi}
                limits: {cpu: "1", memory: 2Gi}
            retry:
              default: {maxAttempts: 1}
            phases:
              - name: bringup
                steps: [{uses: testing.ok}]
              - name: restore
                steps: [{uses: testing.ok}]
            """;
    static final String CHILD = """
            apiVersion: dr/v1
            kind: DrillPlan
            extends: base.yaml
            metadata: {name: child, ticket: "${CHANGE_TICKET:-T-1}"}
            run: {stopAfter: restore}
            """;

    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>();

    /** A loader per load, as each dr command has (a loader keeps the files it has read). */
    static PlanLoader loader() {
        return new PlanLoader(StepCatalog.load(StaticDigestTest.class.getClassLoader()));
    }

    @BeforeEach
    void files() throws Exception {
        Files.writeString(dir.resolve("base.yaml"), BASE);
        Files.writeString(dir.resolve("child.yaml"), CHILD);
    }

    String digest(Overrides overrides, Map<String, String> flags) {
        LoadedPlan loaded = loader().load(dir.resolve("child.yaml"), "child.yaml", env, overrides);
        assertThat(loaded.plan()).as(loaded.problems().toString()).isPresent();
        return StaticDigest.of(loaded, flags);
    }

    String digest() {
        return digest(Overrides.NONE, Map.of());
    }

    @Test
    void theSamePlanInputsAndFlagsGiveTheSameDigest() {
        assertThat(digest()).matches("sha256:[0-9a-f]{64}").isEqualTo(digest());
    }

    @Test
    void aChangeToThePlanFileOrAPlanItExtendsChangesIt() throws Exception {
        String before = digest();
        Files.writeString(dir.resolve("child.yaml"), CHILD.replace("stopAfter: restore", "stopAfter: bringup"));
        String child = digest();
        assertThat(child).isNotEqualTo(before);
        Files.writeString(dir.resolve("child.yaml"), CHILD);
        Files.writeString(dir.resolve("base.yaml"), BASE.replace("prefix: jobintel", "prefix: other"));
        assertThat(digest()).isNotEqualTo(before).isNotEqualTo(child);
    }

    @Test
    void layoutAndCommentsDoNotChangeIt() throws Exception {
        String before = digest();
        Files.writeString(dir.resolve("child.yaml"), "# a comment\n" + CHILD.replace("run: {stopAfter: restore}",
                "run:\n  stopAfter: restore   # the same value, written otherwise"));
        assertThat(digest()).isEqualTo(before);
    }

    @Test
    void anInputChangesIt() {
        String empty = digest();
        env.put("BUCKET", "bkt");
        String before = digest();
        assertThat(before).isNotEqualTo(empty);
        env.put("BACKUP_URI", "s3://bkt/jobintel/backups/b1");
        String one = digest();
        env.put("BACKUP_URI", "s3://bkt/jobintel/backups/b2");
        assertThat(one).isNotEqualTo(before).isNotEqualTo(digest());
    }

    @Test
    void anOverrideOrAnAttemptCapOrASteeringFlagChangesIt() {
        String before = digest();
        Overrides start = new Overrides("restore", null, null, null, null, null, null, null, null, null, null, false);
        Overrides capped = new Overrides(null, null, null, null, null, null, null, null, null, null, 2, false);
        Overrides noRetry = new Overrides(null, null, null, null, null, null, null, null, null, null, null, true);
        assertThat(java.util.Set.of(before, digest(start, Map.of()), digest(capped, Map.of()), digest(noRetry, Map.of()),
                digest(Overrides.NONE, Map.of("--kubeconfig", "/k/one.yaml")),
                digest(Overrides.NONE, Map.of("--kubeconfig", "/k/two.yaml")))).hasSize(6);
    }

    @Test
    void aSecretsValueIsNotInIt() throws Exception {
        Files.writeString(dir.resolve("child.yaml"), CHILD.replace("${CHANGE_TICKET:-T-1}", "${TICKET_API_TOKEN:-x}"));
        env.put("TICKET_API_TOKEN", "first");
        String first = digest();
        env.put("TICKET_API_TOKEN", "rotated");
        assertThat(digest()).as("a rotated credential is not a new plan").isEqualTo(first);
    }

    @Test
    void liveStateIsNotAnInput() {
        // the digest is taken of the loaded plan and the flags alone: nothing a step could preview
        // is passed in, so the same plan gives the same digest whatever a cluster or bucket holds
        LoadedPlan loaded = loader().load(dir.resolve("child.yaml"), "child.yaml", env, Overrides.NONE);
        assertThat(StaticDigest.of(loaded, Map.of())).isEqualTo(digest());
        assertThat(loaded.document()).isPresent();
    }
}

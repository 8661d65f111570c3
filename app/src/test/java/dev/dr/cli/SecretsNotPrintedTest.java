package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A value read from a secret-looking variable never reaches stdout or stderr, in any format. */
class SecretsNotPrintedTest {

    static final String SECRET = "123456789012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void maskedInEveryFormat() {
        for (String format : new String[] {"text", "markdown", "json"}) {
            DrRun r = DrRun.inProject(Map.of("IMAGE_PULL_TOKEN", SECRET),
                    "plan", "app/src/test/resources/cli/secret-image.yaml", "--format", format);
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("(sensitive value)").doesNotContain(SECRET).doesNotContain("0123456789abcdef");
            assertThat(r.err()).doesNotContain("0123456789abcdef");
        }
    }

    /** Valid values, each distinctive, so any leak is found by a plain text search. */
    static final Map<String, String> EVERYWHERE = Map.ofEntries(
            Map.entry("CHANGE_TOKEN", "CHG-S3CRET-1"), Map.entry("ACCOUNT_SECRET", "987654321098"),
            Map.entry("REGION_SECRET", "eu-secret-9"), Map.entry("NAMESPACE_SECRET", "ns-s3cret"),
            Map.entry("BACKUP_TOKEN", "s3://bucket-s3cret/p/backups/b1"), Map.entry("IMAGE_PULL_TOKEN", SECRET),
            Map.entry("BUCKET_SECRET", "bucket-s3cret-2"), Map.entry("PREFIX_SECRET", "prefix-s3cret"),
            Map.entry("RECEIPT_SECRET", "receipts-s3cret"), Map.entry("FROM_SECRET", "from-s3cret"),
            Map.entry("TYPE_SECRET", "t4g.large"), Map.entry("CPU_SECRET", "333m"), Map.entry("MEM_SECRET", "777Mi"),
            Map.entry("CPUL_SECRET", "3333m"), Map.entry("MEML_SECRET", "7Gi"));

    @Test
    void maskedWhereverThePlanDiffPrintsAPlanValue() {
        for (String format : new String[] {"text", "markdown", "json"}) {
            DrRun r = DrRun.inProject(EVERYWHERE,
                    "plan", "app/src/test/resources/cli/secret-everywhere.yaml", "--format", format);
            assertThat(r.exit()).as(r.err()).isZero();
            for (String value : EVERYWHERE.values()) {
                assertThat(r.out()).as("%s output", format).doesNotContain(value);
                assertThat(r.err()).doesNotContain(value);
            }
        }
    }

    @Test
    void maskedInErrorMessagesToo() {
        Map<String, String> env = new java.util.HashMap<>(EVERYWHERE);
        env.put("TYPE_SECRET", "m5.s3cret");
        env.put("IMAGE_PULL_TOKEN", "repo:tag-s3cret");
        env.put("CPUL_SECRET", "1m");
        DrRun r = DrRun.inProject(env, "plan", "app/src/test/resources/cli/secret-everywhere.yaml");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("sizing.instanceType: instance type (sensitive value) is outside")
                .contains("inputs.imageRef: expected <repo>@sha256:<64 hex digits>, was (sensitive value)")
                .contains("cpu limit (sensitive value) is below the request (sensitive value)");
        for (String value : env.values()) {
            assertThat(r.err()).doesNotContain(value);
        }
    }

    /**
     * The bringup's kubeconfig is a credential: the runbook's {@code <receipt>/kubeconfig.yaml}
     * holds it, owner-only, and neither the output nor any other receipt file (the runbook's
     * summaries included) repeats its content.
     */
    @Test
    void theKubeconfigIsInTheRunbookReceiptOnlyAndNeverPrinted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        Map<String, String> env = Map.of("RECEIPT_DIR", tmp.resolve("receipts").toString(), "DR_LOCK_DIR",
                tmp.resolve("locks").toString(), "RUN_ID", "kube");
        java.nio.file.Path run = tmp.resolve("receipts/kube");
        try {
            DrRun r = DrRun.inProject(env, "apply", "examples/sandbox/drill.yaml", "--yes", "--stop-after", "restore");
            assertThat(r.exit()).as(r.err()).isZero();
            java.nio.file.Path kubeconfig = run.resolve("kubeconfig.yaml");
            String credential = java.nio.file.Files.readAllLines(kubeconfig).stream().filter(l -> l.startsWith("users:"))
                    .findFirst().orElseThrow();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(kubeconfig)))
                    .isEqualTo("rw-------");
            assertThat(r.out()).doesNotContain(credential).doesNotContain("token:");
            assertThat(r.err()).doesNotContain(credential).doesNotContain("token:");
            java.util.List<java.nio.file.Path> others;
            try (var files = java.nio.file.Files.walk(run)) {
                others = files.filter(java.nio.file.Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().equals("kubeconfig.yaml")).toList();
            }
            assertThat(others).contains(run.resolve("dr_restore.control_plane.summary.json"),
                    run.resolve("control-plane/fetch/fetch.summary.env"), run.resolve("control-plane/apply/apply.summary.json"));
            for (java.nio.file.Path f : others) {
                if (f.toString().endsWith(".tar.gz") || f.toString().endsWith(".zst")) {
                    continue; // fetched archives: compressed bundle and backup bytes
                }
                assertThat(new String(java.nio.file.Files.readAllBytes(f), java.nio.charset.StandardCharsets.UTF_8))
                        .as(f.toString()).doesNotContain(credential).doesNotContain("token:");
            }
        } finally {
            // the cluster the bringup left up: stopped as the runbook's final teardown would
            Map<String, String> down = new java.util.HashMap<>(env);
            down.put("RUN_ID", "kube-down");
            DrRun.inProject(down, "apply", "examples/sandbox/drill.yaml", "--yes", "--start-at", "teardown",
                    "--from-receipt", run.toString());
        }
    }

    @Test
    void aSecretNameIsNotASecret() {
        DrRun r = DrRun.inProject(Map.of(), "plan", "plans/restore-only.yaml");
        assertThat(r.out()).contains("secretName").contains("\"ecr-pull\"");
    }
}

package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A value read from a secret-looking variable never reaches stdout or stderr, in any format. */
class SecretsNotPrintedTest {

    static final String SECRET = "123456789012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void maskedInEveryFormat() {
        for (String format : new String[] {"text", "markdown", "json"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err),
                    Map.of("IMAGE_PULL_TOKEN", SECRET), CliProcess.projectDir(), false),
                    "plan", "runner/src/test/resources/cli/secret-image.yaml", "--format", format);
            assertThat(code).as(err.toString()).isZero();
            assertThat(out.toString()).contains("(sensitive value)").doesNotContain(SECRET).doesNotContain("0123456789abcdef");
            assertThat(err.toString()).doesNotContain("0123456789abcdef");
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
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), EVERYWHERE,
                    CliProcess.projectDir(), false),
                    "plan", "runner/src/test/resources/cli/secret-everywhere.yaml", "--format", format);
            assertThat(code).as(err.toString()).isZero();
            for (String value : EVERYWHERE.values()) {
                assertThat(out.toString()).as("%s output", format).doesNotContain(value);
                assertThat(err.toString()).doesNotContain(value);
            }
        }
    }

    @Test
    void maskedInErrorMessagesToo() {
        Map<String, String> env = new java.util.HashMap<>(EVERYWHERE);
        env.put("TYPE_SECRET", "m5.s3cret");
        env.put("IMAGE_PULL_TOKEN", "repo:tag-s3cret");
        env.put("CPUL_SECRET", "1m");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new Context(new PrintWriter(out), new PrintWriter(err), env, CliProcess.projectDir(), false),
                "plan", "runner/src/test/resources/cli/secret-everywhere.yaml");
        assertThat(code).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).contains("sizing.instanceType: instance type (sensitive value) is outside")
                .contains("inputs.imageRef: expected <repo>@sha256:<64 hex digits>, was (sensitive value)")
                .contains("cpu limit (sensitive value) is below the request (sensitive value)");
        for (String value : env.values()) {
            assertThat(err.toString()).doesNotContain(value);
        }
    }

    @Test
    void aSecretNameIsNotASecret() {
        StringWriter out = new StringWriter();
        Main.run(new Context(new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of(),
                CliProcess.projectDir(), false), "plan", "plans/restore-only.yaml");
        assertThat(out.toString()).contains("secretName").contains("\"ecr-pull\"");
    }
}

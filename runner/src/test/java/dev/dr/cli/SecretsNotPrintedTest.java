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

    @Test
    void aSecretNameIsNotASecret() {
        StringWriter out = new StringWriter();
        Main.run(new Context(new PrintWriter(out), new PrintWriter(new StringWriter()), Map.of(),
                CliProcess.projectDir(), false), "plan", "plans/restore-only.yaml");
        assertThat(out.toString()).contains("secretName").contains("\"ecr-pull\"");
    }
}

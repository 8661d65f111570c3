package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder a plan names (terraform.apply's with.dir, k8s.apply's with.path, ...) that the working
 * directory does not have: dr apply refuses it at the plan's file:line:column before anything,
 * plan-diff included; dr plan warns; the folders of skipped phases are not this run's concern.
 */
class MissingFolderTest {
    static final Path FIXTURE = CliProcess.projectDir().resolve("app/src/test/resources/cli/missing-folder.yaml");

    @TempDir
    Path cwd;

    String plan;
    String expected;

    @BeforeEach
    void fixture() throws IOException {
        plan = FIXTURE.toString();
        String header = Files.readAllLines(FIXTURE).stream().filter(l -> l.startsWith("# expect: ")).findFirst().orElseThrow();
        expected = plan + ":" + header.substring("# expect: ".length());
    }

    DrRun dr(String... args) {
        return DrRun.in(cwd, Map.of("RECEIPT_DIR", cwd.resolve("receipts").toString(),
                "DR_LOCK_DIR", cwd.resolve("locks").toString()), args);
    }

    @Test
    void applyRefusesAFolderOfARunningPhaseAtItsPositionAndRunsNothing() {
        DrRun r = dr("apply", plan, "--yes");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).as("refused before the plan-diff").isEmpty();
        assertThat(r.err()).startsWith(expected + " " + cwd + "; terraform.apply of phase bringup expects: Terraform folder,"
                + " relative to the working directory. Run dr from the root of the repository that holds it.\n");
        assertThat(r.err()).endsWith("dr: " + plan + " names a folder that this working directory does not have;"
                + " nothing was run\n");
        assertThat(r.err()).as("restore is skipped: its folder is not needed").doesNotContain("ops/k8s/jobintel");
        assertThat(cwd.resolve("receipts")).doesNotExist();
        assertThat(cwd.resolve("locks")).doesNotExist();
    }

    @Test
    void planWarnsAtTheSamePositionAndStillPrintsThePlanDiff() {
        DrRun r = dr("plan", plan);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("+ bringup");
        assertThat(r.err()).contains(expected.replace("with.dir: ", "with.dir: warning: "));
    }

    @Test
    void aFileWhereAFolderIsExpectedIsRefusedTooAndAFolderThereIsNot() throws IOException {
        Files.createDirectories(cwd.resolve("ops/dr"));
        Files.writeString(cwd.resolve("ops/dr/terraform"), "not a folder");
        DrRun file = dr("apply", plan, "--yes");
        assertThat(file.exit()).isEqualTo(2);
        assertThat(file.err()).contains("no folder 'ops/dr/terraform' (it is a file) in the working directory");

        Files.delete(cwd.resolve("ops/dr/terraform"));
        Files.createDirectories(cwd.resolve("ops/dr/terraform"));
        DrRun there = dr("plan", plan);
        assertThat(there.exit()).as(there.err()).isZero();
        assertThat(there.err()).doesNotContain("no folder");
    }
}

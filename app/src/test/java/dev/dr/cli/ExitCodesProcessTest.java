package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built CLI as a separate process, once for each exit code of the README. */
class ExitCodesProcessTest {

    static final String BROKEN = "app/src/test/resources/cli/broken.yaml";

    @Test
    void exit0PreviewsValidateOnlyWithEveryOtherPhaseSkipped() throws Exception {
        CliProcess.Result r = CliProcess.run("plans/validate-only.yaml");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("+ validate  run")
                .contains("- bringup   skip  validate-only")
                .contains("- restore   skip  validate-only")
                .contains("- promote   skip  validate-only")
                .contains("- teardown  skip  validate-only")
                .contains("planDigest: sha256:");
        assertThat(r.err()).as("results go to stdout only").isEmpty();
    }

    @Test
    void exit2ForAnInvalidPlanWithFileLineColumn() throws Exception {
        CliProcess.Result r = CliProcess.run(BROKEN);
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).as("nothing on stdout for an invalid plan").isEmpty();
        assertThat(r.err()).contains(BROKEN + ":8:3: run.stopAftr: unknown key 'stopAftr'; did you mean 'stopAfter'?");
    }

    @Test
    void exit2ForAUsageError() throws Exception {
        CliProcess.Result r = CliProcess.run("plan", "plans/validate-only.yaml", "--no-such-flag");
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void exit3WhenTheFullDrillGuardRefuses() throws Exception {
        CliProcess.Result r = CliProcess.run("plans/full-drill.yaml", "--allow-full-drill=false");
        assertThat(r.exit()).isEqualTo(ExitCodes.GUARD_REFUSED);
        assertThat(r.out()).contains("skip  full-drill-not-allowed").contains("REFUSED");
        assertThat(r.err()).contains("plans/full-drill.yaml:").contains("full drill");
    }

    @Test
    void allowFullDrillFromTheEnvironment() throws Exception {
        CliProcess.Result r = CliProcess.run(CliProcess.classesDir(), Map.of("ALLOW_FULL_DRILL", "1"), List.of(),
                "plans/full-drill.yaml", "--format", "json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("\"flag\" : \"ALLOW_FULL_DRILL=1\"");
    }

    @Test
    void exit4ForAnInternalErrorOnABrokenInstall(@TempDir Path dir) throws Exception {
        // an install that lost its schema resource: dr's class path with the runner's jar (or
        // classes) copied without schema/
        List<String> entries = new java.util.ArrayList<>();
        for (String e : CliProcess.classpath(CliProcess.classesDir()).split(java.io.File.pathSeparator)) {
            entries.add(withoutSchema(Path.of(e), dir.resolve(entries.size() + "-" + Path.of(e).getFileName())));
        }
        String classes = String.join(java.io.File.pathSeparator, entries);
        assertThat(classes).as("dr's class path holds the schema somewhere").isNotEqualTo(
                CliProcess.classpath(CliProcess.classesDir()));
        CliProcess.Result r = CliProcess.runOn(classes, Map.of(), List.of(), "plans/validate-only.yaml");
        assertThat(r.exit()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(r.err()).contains("dr: internal error:").contains("schema/drill-plan.schema.json")
                .doesNotContain("\tat ");
    }

    /** The entry itself when it has no schema/ folder, else a copy at {@code to} without it. */
    private static String withoutSchema(Path entry, Path to) throws Exception {
        if (Files.isDirectory(entry)) {
            if (!Files.isDirectory(entry.resolve("schema"))) {
                return entry.toString();
            }
            try (Stream<Path> s = Files.walk(entry)) {
                for (Path p : s.toList()) {
                    Path rel = entry.relativize(p);
                    if (!rel.startsWith("schema")) {
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(to.resolve(rel.toString()));
                        } else {
                            Files.copy(p, to.resolve(rel.toString()));
                        }
                    }
                }
            }
            return to.toString();
        }
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return entry.toString();
        }
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(entry.toFile())) {
            if (jar.getEntry("schema/drill-plan.schema.json") == null) {
                return entry.toString();
            }
            try (java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
                for (java.util.zip.ZipEntry e : java.util.Collections.list(jar.entries())) {
                    if (!e.getName().startsWith("schema/")) {
                        out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                        try (var in = jar.getInputStream(e)) {
                            in.transferTo(out);
                        }
                        out.closeEntry();
                    }
                }
            }
        }
        return to.toString();
    }

    @Test
    void exit10WithDetailedExitcodeWhenChangesArePending() throws Exception {
        assertThat(CliProcess.run("plan", "plans/bringup-only.yaml", "--detailed-exitcode").exit())
                .isEqualTo(ExitCodes.CHANGES_PENDING);
    }

    @Test
    void detailedExitcodeIsZeroWhenTheRunningStepsOnlyRead() throws Exception {
        CliProcess.Result r = CliProcess.run("plan", "app/src/test/resources/cli/read-only.yaml", "--detailed-exitcode");
        assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("(reads only; changes nothing)")
                .contains("0 to create, 0 to update, 0 to destroy, 0 known after apply");
    }

    @Test
    void lintManyFilesInOneRunWithGithubAnnotations() throws Exception {
        CliProcess.Result r = CliProcess.run("lint", "--format", "github", "plans/validate-only.yaml", BROKEN);
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains("::error file=" + BROKEN + ",line=8,col=3::run.stopAftr: unknown key 'stopAftr'");
        assertThat(r.err()).contains("2 files checked: 1 error, 0 warnings");
    }

    @Test
    void aBrokenBaseSharedByManyPlansIsReportedOnce(@TempDir Path dir) throws Exception {
        Path base = CliProcess.projectDir().resolve("app/src/test/resources/fixtures/invalid/bases/unknown-key.yaml");
        List<String> args = new java.util.ArrayList<>(List.of("lint"));
        for (int i = 0; i < 3; i++) {
            Path plan = dir.resolve("p" + i + ".yaml");
            Files.writeString(plan, "apiVersion: dr/v1\nkind: DrillPlan\nextends: " + dir.relativize(base) + "\n"
                    + "metadata:\n  name: p" + i + "\n");
            args.add(plan.toString());
        }
        CliProcess.Result r = CliProcess.run(args.toArray(String[]::new));
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out().lines().filter(l -> l.contains("unknown key 'regoin'"))).hasSize(1);
        assertThat(r.err()).contains("3 files checked: 1 error");
    }

    @Test
    void anApprovalWithoutTimeLimitMakesTheWorstCaseUnbounded() throws Exception {
        CliProcess.Result r = CliProcess.run("app/src/test/resources/cli/promote-no-approval-timeout.yaml");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("+ promote  run   1 attempt, timeout 10m, worst case unbounded")
                .contains("approval: dr-approve, ticket required, waits without a time limit")
                .contains("Plan: 1 phase to run, 0 skipped").contains("worst case unbounded;");
    }

    @Test
    void helpShowsAnExamplePerCommand() throws Exception {
        for (String cmd : List.of("plan", "apply", "lint", "schema", "steps", "force-unlock")) {
            CliProcess.Result r = CliProcess.run(cmd, "--help");
            assertThat(r.exit()).isZero();
            assertThat(r.out()).contains("Example").contains("dr ");
        }
    }
}

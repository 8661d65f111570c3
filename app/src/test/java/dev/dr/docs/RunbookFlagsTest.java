package dev.dr.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.cli.Main;
import dev.dr.command.Context;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every command of the runbook's code blocks, with its program replaced by its dr command and
 * its flags untouched, is a command line dr accepts: each flag is an option of that command
 * and takes the value the runbook gives it. Parsed by dr's own command line, not run (the
 * tests of each command run it).
 */
class RunbookFlagsTest {

    /** The runbook's programs and the dr command that replaces each. */
    static final Map<String, List<String>> DR = Map.ofEntries(
            Map.entry("publish_bundle.sh", List.of("bundle", "publish")),
            Map.entry("fetch_bundle.sh", List.of("bundle", "fetch")),
            Map.entry("apply_bundle_k8s.sh", List.of("bundle", "render")),
            Map.entry("dr_drill.sh", List.of("apply", "plans/full-drill.yaml")),
            Map.entry("dr_bringup.sh", List.of("apply", "plans/bringup-only.yaml")),
            Map.entry("dr_restore.sh", List.of("apply", "plans/restore-only.yaml")),
            Map.entry("dr_validate.sh", List.of("apply", "plans/validate-only.yaml")),
            Map.entry("dr_ensure_ecr_pull_secret.sh", List.of("ecr-pull-secret")),
            Map.entry("dr_status.sh", List.of("status")),
            Map.entry("dr_approve.sh", List.of("approve")),
            Map.entry("dr_failback.sh", List.of("failback")));

    /** Programs of the runbook that stay what they are, and why. */
    static final Map<String, String> NOT_DR = Map.of(
            "set -euo pipefail", "shell options; dr stops at the first failure itself",
            "date", "the runbook names the bringup run with date; dr names runs itself, or takes RUN_ID",
            "terraform", "the orchestrator's own Terraform; dr compile emits it, with the runbook's -var names",
            "git", "the release pipeline",
            "build_and_push_ecr.sh", "the release pipeline",
            "python3", "the release pipeline");

    /** The runbook's placeholders and variables, filled as an operator would. */
    static final Map<String, String> FILLED = Map.ofEntries(
            Map.entry("account", "048622080012"), Map.entry("digest", "c".repeat(64)), Map.entry("bucket", "artifacts"),
            Map.entry("prefix", "jobintel"), Map.entry("backup_id", "b-0001"), Map.entry("tmp", "/tmp"),
            Map.entry("dr_run_id", "dr-run-1"), Map.entry("execution-id", "exec-1"), Map.entry("name", "alice"),
            Map.entry("change-ticket", "CHG-1"), Map.entry("bringup_run_id", "up-1"),
            Map.entry("BUCKET", "artifacts"), Map.entry("PREFIX", "jobintel"),
            Map.entry("BACKUP_URI", "s3://artifacts/jobintel/backups/b-0001"),
            Map.entry("IMAGE_REF", "048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:" + "c".repeat(64)),
            Map.entry("BRINGUP_RUN_ID", "up-1"));

    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z_-]+)>|\\$\\{?([A-Z_]+)\\}?");

    static String fill(String word) {
        Matcher m = PLACEHOLDER.matcher(word);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1) != null ? m.group(1) : m.group(2);
            String value = FILLED.get(key);
            assertThat(value).as("a value for %s in %s", m.group(), word).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString().replace("/.../", "/dr/");
    }

    /** The dr arguments of a runbook command: its dr command, then its words after the program, filled. */
    static List<String> drArguments(RunbookCoverageTest.Command c) {
        List<String> words = RunbookCoverageTest.words(c.text());
        int program = 0;
        while (!words.get(program).endsWith(c.program())) {
            program++;
        }
        List<String> argv = new ArrayList<>(DR.get(c.program()));
        words.subList(program + 1, words.size()).forEach(w -> argv.add(fill(w)));
        return argv;
    }

    @Test
    void everyRunbookCommandIsADrCommandThatTakesItsFlagsWithTheirValues() throws Exception {
        List<RunbookCoverageTest.Command> all = RunbookCoverageTest.commands(
                Files.readString(RunbookCoverageTest.RUNBOOK_COMMANDS, StandardCharsets.UTF_8));
        Context ctx = new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of(),
                YamlLanguageServerTest.PROJECT, false);
        SoftAssertions soft = new SoftAssertions();
        int checked = 0;
        for (RunbookCoverageTest.Command c : all) {
            if (c.program() == null || NOT_DR.containsKey(c.program())) {
                continue;
            }
            soft.assertThat(DR).as("the dr command of %s", c.program()).containsKey(c.program());
            if (!DR.containsKey(c.program())) {
                continue;
            }
            checked++;
            List<String> argv = drArguments(c);
            ParseResult parsed;
            try {
                parsed = Main.commandLine(ctx, new ArrayList<>(argv)).parseArgs(argv.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                soft.fail("dr %s: %s (runbook: %s)", String.join(" ", argv), e.getMessage(), c.text());
                continue;
            }
            while (parsed.hasSubcommand()) {
                parsed = parsed.subcommand();
            }
            for (int i = DR.get(c.program()).size(); i < argv.size(); i++) {
                String word = argv.get(i);
                if (!word.startsWith("--")) {
                    continue;
                }
                CommandLine.Model.OptionSpec option = parsed.matchedOption(word.split("=", 2)[0]);
                soft.assertThat(option).as("%s of %s", word, c.text()).isNotNull();
                boolean valued = i + 1 < argv.size() && !argv.get(i + 1).startsWith("--");
                if (option != null && valued) {
                    soft.assertThat(parsed.matchedOption(word).stringValues()).as("the value of %s in %s", word, c.text())
                            .contains(argv.get(i + 1));
                }
            }
        }
        soft.assertThat(checked).as("runbook commands that are dr commands").isGreaterThanOrEqualTo(20);
        soft.assertAll();
    }

    @Test
    void aFlagDrDoesNotHaveIsFoundByTheParse() {
        Context ctx = new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of(),
                YamlLanguageServerTest.PROJECT, false);
        List<String> argv = List.of("apply", "plans/full-drill.yaml", "--backup-url", "s3://a/b");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Main.commandLine(ctx, new ArrayList<>(argv))
                .parseArgs(argv.toArray(String[]::new))).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--backup-url");
    }
}

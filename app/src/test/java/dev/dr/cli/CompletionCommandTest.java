package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dr.command.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {

    static DrRun dr(String... args) {
        return DrRun.inProject(Map.of(), args);
    }

    /** The subcommands `dr --help` lists: the completion must know every one of them. */
    static List<String> subcommands() {
        DrRun help = dr("--help");
        List<String> names = new ArrayList<>();
        boolean inCommands = false;
        for (String line : help.out().lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                break;
            } else if (inCommands && line.startsWith("  ") && !line.startsWith("   ")) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    @Test
    void theScriptCompletesEverySubcommandAndTheirOptions() {
        List<String> commands = subcommands();
        assertThat(commands).contains("plan", "apply", "lint", "steps", "docs", "completion", "help");

        DrRun bash = dr("completion", "bash");
        assertThat(bash.exit()).as(bash.err()).isZero();
        assertThat(bash.err()).isEmpty();
        assertThat(bash.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_dr")
                .contains("bashcompinit"); // so the same script serves zsh
        for (String c : commands) {
            assertThat(bash.out()).as("the script names the subcommand %s", c).containsPattern("\\b" + c + "\\b");
        }
        assertThat(bash.out()).contains("--detailed-exitcode", "--allow-full-drill", "--format", "--out");

        assertThat(dr("completion").out()).as("bash is the default").isEqualTo(bash.out());
        assertThat(dr("completion", "zsh").out()).isEqualTo(bash.out());
    }

    @Test
    void anUnknownShellIsAUsageError() {
        DrRun fish = dr("completion", "fish");
        assertThat(fish.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(fish.out()).isEmpty();
        assertThat(fish.err()).contains("Invalid value for positional parameter at index 0 (SHELL): expected one of [bash, zsh]"
                + " (case-sensitive) but was 'fish'");
    }

    @Test
    void bashLoadsTheScriptAndCompletesCommandsAndOptions(@TempDir Path dir) throws Exception {
        Path bash = Path.of("/bin/bash");
        Assumptions.assumeTrue(Files.isExecutable(bash), "bash is not installed");
        Path script = dir.resolve("dr-completion.bash");
        Files.writeString(script, dr("completion", "bash").out(), StandardCharsets.UTF_8);
        // what bash does on <TAB>: fill COMP_WORDS and COMP_CWORD, call the function complete -p names
        String probe = "source '" + script + "'\n"
                + "complete -p dr\n"
                + "fn=$(complete -p dr | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
                + "COMP_WORDS=(dr ap); COMP_CWORD=1; COMP_LINE='dr ap'; COMP_POINT=5; COMPREPLY=(); $fn\n"
                + "echo \"commands: ${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(dr plan --detailed); COMP_CWORD=2; COMP_LINE='dr plan --detailed'; COMP_POINT=18; COMPREPLY=(); $fn\n"
                + "echo \"options: ${COMPREPLY[*]}\"\n"
                + "COMP_WORDS=(dr completion ''); COMP_CWORD=2; COMP_LINE='dr completion '; COMP_POINT=14; COMPREPLY=(); $fn\n"
                + "echo \"shells: ${COMPREPLY[*]}\"\n";
        Process p = new ProcessBuilder(bash.toString(), "--norc", "--noprofile", "-c", probe).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("(?m)^complete .*-F _complete_dr dr$").containsPattern("(?m)^commands: .*\\bapply\\b")
                .containsPattern("(?m)^commands: .*\\bapprove\\b").contains("options: --detailed-exitcode")
                .containsPattern("(?m)^shells: bash zsh$");
    }
}

package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print the shell completion script of dr: its commands, options and option values.",
        footer = {"", "The script completes the command dr; put dr on the PATH first (see the README).",
                "", "Examples:",
                "  source <(dr completion bash)      # in ~/.bashrc",
                "  source <(dr completion zsh)       # in ~/.zshrc",
                "  dr completion > /etc/bash_completion.d/dr"})
final class CompletionCommand implements Callable<Integer> {
    enum Shell { bash, zsh }

    private final Context ctx;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SHELL", description = "bash (default) or zsh.")
    Shell shell = Shell.bash;

    @Spec
    CommandSpec spec;

    CompletionCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        // Main adds only the subcommand that runs; a script made from that alone would complete
        // nothing but "completion", so refuse rather than print a script that looks right.
        if (root.getSubcommands().size() < 3) {
            throw new IllegalStateException("the dr command line holds only " + root.getSubcommands().keySet()
                    + "; completion needs every subcommand");
        }
        // picocli's script serves both shells: under zsh it loads bashcompinit itself
        ctx.out().print(AutoComplete.bash(root.getCommandName(), root));
        ctx.out().flush();
        return ExitCodes.OK;
    }
}

package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.SystemCommand;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** A module's command as SystemCommandsTest registers it: prints its words. */
@Command(name = "echo-words")
public final class EchoCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters
    List<String> words = List.of();

    EchoCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        ctx.out().println(String.join(" ", words));
        return 0;
    }

    /** Its provider, listed in the test resources' META-INF/services. */
    public static final class Provider implements SystemCommand {
        @Override
        public String name() {
            return "echo-words";
        }

        @Override
        public Class<?> command() {
            return EchoCommand.class;
        }
    }
}

package dev.dr.steps.orchestrator;

import dev.dr.command.SystemCommand;

/** {@code dr start}: an execution of the orchestrator's state machine, with the boundaries as its input. */
public final class StartCommands implements SystemCommand {
    @Override
    public String name() {
        return "start";
    }

    @Override
    public Class<?> command() {
        return StartCommand.class;
    }
}

package dev.dr.steps.orchestrator;

import dev.dr.command.SystemCommand;

/** {@code dr status}: an execution of the orchestrator's state machine, phase by phase. */
public final class StatusCommands implements SystemCommand {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public Class<?> command() {
        return StatusCommand.class;
    }
}

package dev.dr.steps.bundle;

import dev.dr.command.SystemCommand;

/** {@code dr bundle}: the control-plane bundle's publish, fetch and render, beside the steps that use them. */
public final class BundleCommands implements SystemCommand {
    @Override
    public String name() {
        return "bundle";
    }

    @Override
    public Class<?> command() {
        return BundleCommand.class;
    }
}

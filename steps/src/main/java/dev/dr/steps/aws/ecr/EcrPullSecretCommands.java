package dev.dr.steps.aws.ecr;

import dev.dr.command.SystemCommand;

/** {@code dr ecr-pull-secret}: the runbook's pull-secret refresh, beside the ecr.pull-secret step. */
public final class EcrPullSecretCommands implements SystemCommand {
    @Override
    public String name() {
        return "ecr-pull-secret";
    }

    @Override
    public Class<?> command() {
        return EcrPullSecretCommand.class;
    }
}

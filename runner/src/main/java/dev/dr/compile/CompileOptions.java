package dev.dr.compile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a plan is compiled into a state machine.
 *
 * @param worker            where each phase's {@code dr apply} runs
 * @param drCommand         how the worker calls dr (a word or two of shell, e.g. {@code dr} or {@code ./jbang dr})
 * @param approvalTopicArn  the SNS topic the promote gate publishes its approval request to; needed only
 *                          when the machine has the gate
 * @param workerFlags       flags of {@code dr apply} every worker repeats, as given to compile
 *                          (e.g. {@code --auto-promote true}), so each phase sees the plan compile saw
 * @param attemptCap        {@code --max-attempts} or {@code --no-retry} given to compile: caps the Retry
 */
public record CompileOptions(Worker worker, String drCommand, Optional<String> approvalTopicArn, List<String> workerFlags,
                             Optional<Integer> attemptCap) {
    public CompileOptions {
        Objects.requireNonNull(worker, "worker");
        if (drCommand == null || drCommand.isBlank()) {
            throw new IllegalArgumentException("--dr-command must not be empty");
        }
        Objects.requireNonNull(approvalTopicArn, "approvalTopicArn");
        workerFlags = List.copyOf(workerFlags);
        Objects.requireNonNull(attemptCap, "attemptCap");
    }
}

package dev.dr.compile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

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
 * @param receiptBucket     the bucket the workers upload their receipts to by default (the execution input's
 *                          {@code receiptBucket} wins); empty: no upload unless the input names one
 * @param receiptPrefix     the key prefix in that bucket, before the execution's id
 */
public record CompileOptions(Worker worker, String drCommand, Optional<String> approvalTopicArn, List<String> workerFlags,
                             Optional<Integer> attemptCap, String receiptBucket, String receiptPrefix) {
    /** The runbook's default receipt prefix (Terraform's {@code receipt_prefix}). */
    public static final String DEFAULT_RECEIPT_PREFIX = "dr-receipts";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

    /** Without a receipt bucket (the workers upload nothing unless the execution input names one). */
    public CompileOptions(Worker worker, String drCommand, Optional<String> approvalTopicArn, List<String> workerFlags,
                          Optional<Integer> attemptCap) {
        this(worker, drCommand, approvalTopicArn, workerFlags, attemptCap, "", DEFAULT_RECEIPT_PREFIX);
    }

    public CompileOptions {
        Objects.requireNonNull(worker, "worker");
        if (drCommand == null || drCommand.isBlank()) {
            throw new IllegalArgumentException("--dr-command must not be empty");
        }
        Objects.requireNonNull(approvalTopicArn, "approvalTopicArn");
        workerFlags = List.copyOf(workerFlags);
        Objects.requireNonNull(attemptCap, "attemptCap");
        if (receiptBucket == null || !receiptBucket.isEmpty() && !BUCKET.matcher(receiptBucket).matches()) {
            throw new IllegalArgumentException("--receipt-bucket '" + receiptBucket + "' is not an S3 bucket name"
                    + " (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        if (receiptPrefix == null || !PREFIX.matcher(receiptPrefix).matches()) {
            throw new IllegalArgumentException("--receipt-prefix '" + receiptPrefix + "' is not a key prefix (letters,"
                    + " digits, '.', '_' and '-' in segments separated by '/', none empty, e.g. dr-receipts)");
        }
    }
}

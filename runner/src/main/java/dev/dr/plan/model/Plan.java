package dev.dr.plan.model;

import java.util.List;
import java.util.Objects;

/**
 * A plan after extends, overrides and ${VAR} interpolation, checked: what the planner and
 * the engine work from. Immutable.
 *
 * @param file  the plan file as the user named it
 * @param bases the files it extends, nearest first
 */
public record Plan(String file, List<String> bases, Metadata metadata, Target target, Inputs inputs,
                   RunOptions run, Sizing sizing, RetrySettings retry, List<Phase> phases) {
    public Plan {
        Objects.requireNonNull(file, "file");
        bases = List.copyOf(bases);
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(sizing, "sizing");
        Objects.requireNonNull(retry, "retry");
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("phases must not be empty");
        }
    }

    public record Metadata(String name, String description, String ticket) {
        public Metadata {
            Objects.requireNonNull(name, "name");
            description = description == null ? "" : description;
            ticket = ticket == null ? "" : ticket;
        }
    }

    /** {@code environment} is aws or sandbox (the local sandbox: no AWS account behind it). */
    public record Target(String accountId, String region, String namespace, String environment) {
        public Target {
            environment = environment == null || environment.isEmpty() ? "aws" : environment;
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    /** Empty strings stand for inputs the plan does not set. */
    public record Inputs(String backupUri, String imageRef, boolean allowTagImageRef, String bucket, String prefix) {
        public Inputs {
            backupUri = backupUri == null ? "" : backupUri;
            imageRef = imageRef == null ? "" : imageRef;
            bucket = bucket == null ? "" : bucket;
            prefix = prefix == null ? "" : prefix;
        }
    }

    /** Stop boundaries and opt-ins; startAt and stopAfter are null when the plan leaves them open. */
    public record RunOptions(PhaseName startAt, PhaseName stopAfter, boolean validateOnly, boolean teardown,
                             boolean autoPromote, boolean allowPromoteBypass, boolean allowFullDrill,
                             String receiptDir, String fromReceipt) {
        public RunOptions {
            receiptDir = receiptDir == null || receiptDir.isEmpty() ? "receipts" : receiptDir;
            fromReceipt = fromReceipt == null ? "" : fromReceipt;
        }
    }

    /** Empty strings stand for resources the plan does not set. */
    public record Resources(String cpu, String memory) {
        public Resources {
            cpu = cpu == null ? "" : cpu;
            memory = memory == null ? "" : memory;
        }
    }

    public record Sizing(String instanceType, Resources requests, Resources limits) {
        public Sizing {
            Objects.requireNonNull(instanceType, "instanceType");
            requests = requests == null ? new Resources(null, null) : requests;
            limits = limits == null ? new Resources(null, null) : limits;
        }
    }

    public record RetrySettings(RetryPolicy defaults, java.util.Map<PhaseName, RetryPolicy> phases) {
        public RetrySettings {
            Objects.requireNonNull(defaults, "defaults");
            phases = java.util.Collections.unmodifiableMap(new java.util.EnumMap<>(phases.isEmpty()
                    ? new java.util.EnumMap<PhaseName, RetryPolicy>(PhaseName.class) : new java.util.EnumMap<>(phases)));
        }

        public RetryPolicy forPhase(PhaseName p) {
            return phases.getOrDefault(p, defaults);
        }
    }
}

package dev.dr.engine;

import dev.dr.plan.model.Plan;
import java.util.Optional;

/** Plan values by the dotted paths steps name in {@code reads()}. */
final class PlanSettings {
    private PlanSettings() {}

    static Optional<String> lookup(Plan plan, String path) {
        String v = switch (path) {
            case "metadata.name" -> plan.metadata().name();
            case "metadata.ticket" -> plan.metadata().ticket();
            case "target.accountId" -> plan.target().accountId();
            case "target.region" -> plan.target().region();
            case "target.namespace" -> plan.target().namespace();
            case "inputs.backupUri" -> plan.inputs().backupUri();
            case "inputs.imageRef" -> plan.inputs().imageRef();
            case "inputs.bucket" -> plan.inputs().bucket();
            case "inputs.prefix" -> plan.inputs().prefix();
            case "sizing.instanceType" -> plan.sizing().instanceType();
            case "sizing.validateJob.requests.cpu" -> plan.sizing().requests().cpu();
            case "sizing.validateJob.requests.memory" -> plan.sizing().requests().memory();
            case "sizing.validateJob.limits.cpu" -> plan.sizing().limits().cpu();
            case "sizing.validateJob.limits.memory" -> plan.sizing().limits().memory();
            case "run.receiptDir" -> plan.run().receiptDir();
            case "run.fromReceipt" -> plan.run().fromReceipt();
            default -> null;
        };
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }
}

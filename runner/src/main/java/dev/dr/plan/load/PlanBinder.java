package dev.dr.plan.load;

import dev.dr.plan.model.Phase;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.RetryPolicy;
import dev.dr.plan.model.StepUse;
import dev.dr.step.Durations;
import dev.dr.step.ErrorClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Turns a checked plan tree into the immutable {@link Plan}. Only called when the checks passed. */
final class PlanBinder {
    private PlanBinder() {}

    static Plan bind(ObjectNode root, String file, List<String> bases) {
        JsonNode meta = obj(root, "metadata");
        JsonNode target = obj(root, "target");
        JsonNode inputs = obj(root, "inputs");
        JsonNode run = obj(root, "run");
        JsonNode sizing = obj(root, "sizing");
        JsonNode job = obj(sizing, "validateJob");
        JsonNode retry = obj(root, "retry");
        Map<PhaseName, RetryPolicy> byPhase = new EnumMap<>(PhaseName.class);
        obj(retry, "phases").properties().forEach(e -> byPhase.put(PhaseName.of(e.getKey()), policy(e.getValue())));
        List<Phase> phases = new ArrayList<>();
        for (JsonNode p : root.get("phases")) {
            List<StepUse> steps = new ArrayList<>();
            for (JsonNode s : p.path("steps")) {
                steps.add(new StepUse(s.get("uses").asString(), text(s, "name"),
                        s.get("with") instanceof ObjectNode w ? w : null));
            }
            JsonNode a = p.get("approval");
            Phase.Approval approval = a == null ? null : new Phase.Approval(
                    a.path("required").asBoolean(true), a.path("ticketRequired").asBoolean(false), duration(a, "timeout"));
            phases.add(new Phase(PhaseName.of(p.get("name").asString()), text(p, "description"),
                    duration(p, "timeout"), approval, steps));
        }
        return new Plan(file, bases,
                new Plan.Metadata(text(meta, "name"), text(meta, "description"), text(meta, "ticket")),
                new Plan.Target(text(target, "accountId"), text(target, "region"), text(target, "namespace"),
                        text(target, "environment")),
                new Plan.Inputs(text(inputs, "backupUri"), text(inputs, "imageRef"),
                        inputs.path("allowTagImageRef").asBoolean(false), text(inputs, "bucket"), text(inputs, "prefix")),
                new Plan.RunOptions(phase(run, "startAt"), phase(run, "stopAfter"),
                        run.path("validateOnly").asBoolean(false), run.path("teardown").asBoolean(false),
                        run.path("autoPromote").asBoolean(false), run.path("allowPromoteBypass").asBoolean(false),
                        run.path("allowFullDrill").asBoolean(false), text(run, "receiptDir"), text(run, "fromReceipt")),
                new Plan.Sizing(text(sizing, "instanceType"), resources(obj(job, "requests")), resources(obj(job, "limits"))),
                new Plan.RetrySettings(retry.has("default") ? policy(retry.get("default")) : RetryPolicy.once(), byPhase),
                phases);
    }

    private static RetryPolicy policy(JsonNode p) {
        JsonNode b = p.get("backoff");
        RetryPolicy.Backoff backoff = RetryPolicy.Backoff.NONE;
        if (b != null) {
            Duration initial = b.has("initial") ? Durations.parse(b.get("initial").asString()) : Duration.ZERO;
            Duration max = b.has("max") ? Durations.parse(b.get("max").asString()) : initial;
            backoff = new RetryPolicy.Backoff(initial, b.path("multiplier").asDouble(1), max);
        }
        List<ErrorClass> on = new ArrayList<>();
        p.path("retryOn").forEach(c -> on.add(ErrorClass.of(c.asString())));
        // maxRetries is the runbook's count (DR_VALIDATE_MAX_RETRIES): the first attempt comes on top
        int attempts = p.has("maxRetries") ? p.get("maxRetries").asInt() + 1 : p.path("maxAttempts").asInt(1);
        return new RetryPolicy(attempts, backoff, on);
    }

    private static Plan.Resources resources(JsonNode r) {
        return new Plan.Resources(text(r, "cpu"), text(r, "memory"));
    }

    private static PhaseName phase(JsonNode n, String key) {
        String v = text(n, key);
        return v == null ? null : PhaseName.of(v);
    }

    private static Duration duration(JsonNode n, String key) {
        String v = text(n, key);
        return v == null ? null : Durations.parse(v);
    }

    private static JsonNode obj(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        return v != null && v.isObject() ? v : tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n == null ? null : n.get(key);
        return v != null && v.isString() ? v.asString() : null;
    }
}

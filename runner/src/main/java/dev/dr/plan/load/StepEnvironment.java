package dev.dr.plan.load;

import dev.dr.catalog.StepCatalog;
import dev.dr.step.Secrets;
import dev.dr.step.StepInfo;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The environment variables a step of the plan reads itself ({@code Step#environment()}, as
 * the terraform steps read the runbook's TF_BACKEND_* and pass TF_VAR_* to terraform) that
 * are set: shown as sources of that step, by its path ({@code phases[0].steps[0]}), so the
 * plan-diff names them and its digest covers them. A variable the plan itself read is the
 * plan's value (terraform's -var wins over TF_VAR_instance_type), not the step's.
 */
final class StepEnvironment {

    private StepEnvironment() {}

    static Map<String, Map<String, String>> sources(ObjectNode root, Map<String, String> env, StepCatalog steps,
                                                    Set<String> readByThePlan) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        JsonNode phases = root.path("phases");
        for (int i = 0; i < phases.size(); i++) {
            JsonNode uses = phases.get(i).path("steps");
            for (int j = 0; j < uses.size(); j++) {
                StepInfo info = steps.find(uses.get(j).path("uses").asString(""));
                if (info == null || info.environment().isEmpty()) {
                    continue;
                }
                Map<String, String> vars = new TreeMap<>();
                env.forEach((name, value) -> {
                    if (!value.isEmpty() && info.readsVariable(name) && !readByThePlan.contains(name)) {
                        vars.put(name, Secrets.isSecretName(name) ? "(sensitive value)" : value);
                    }
                });
                if (!vars.isEmpty()) {
                    out.put("phases[" + i + "].steps[" + j + "]", vars);
                }
            }
        }
        return out;
    }
}

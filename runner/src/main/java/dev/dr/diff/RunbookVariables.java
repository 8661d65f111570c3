package dev.dr.diff;

import dev.dr.catalog.StepCatalog;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.StepUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variables the runbook tells operators to export, and what in dr reads each one. An
 * operator who exports one that the plan in use does not read, or reads only for a phase that
 * does not run, gets a warning naming it and why: the runbook's habits must not look as if
 * they steered a run they do not touch. A variable the plan reads (its {@code ${VAR}}
 * expressions) counts wherever it is, so a plan of one's own may read any of them.
 */
public final class RunbookVariables {

    /** Who reads a variable when the plan does not. */
    enum Reader { PLAN, DR, STEPS, NOTHING }

    /** @param why for {@link Reader#NOTHING}, why dr has no use for it */
    record Variable(String name, Reader reader, String why) {}

    /** The runbook's variables, as its Quickstart and sections B, D and G export them. */
    static final List<Variable> ALL = List.of(
            new Variable("BACKUP_URI", Reader.PLAN, ""),
            new Variable("IMAGE_REF", Reader.PLAN, ""),
            new Variable("BUCKET", Reader.PLAN, ""),
            new Variable("PREFIX", Reader.PLAN, ""),
            new Variable("NAMESPACE", Reader.PLAN, ""),
            new Variable("TF_VAR_instance_type", Reader.PLAN, ""),
            new Variable("VALIDATE_REQUEST_CPU", Reader.PLAN, ""),
            new Variable("VALIDATE_REQUEST_MEMORY", Reader.PLAN, ""),
            new Variable("VALIDATE_LIMIT_CPU", Reader.PLAN, ""),
            new Variable("VALIDATE_LIMIT_MEMORY", Reader.PLAN, ""),
            new Variable("DR_VALIDATE_MAX_RETRIES", Reader.PLAN, ""),
            new Variable("DR_VALIDATE_RETRY_BACKOFF_SECONDS", Reader.PLAN, ""),
            // read by dr itself: the run id, the full-drill opt-in, the target checks, the cluster
            new Variable("RUN_ID", Reader.DR, ""),
            new Variable("ALLOW_FULL_DRILL", Reader.DR, ""),
            new Variable("EXPECTED_ACCOUNT_ID", Reader.DR, ""),
            new Variable("AWS_REGION", Reader.DR, ""),
            new Variable("AWS_DEFAULT_REGION", Reader.DR, ""),
            new Variable("KUBECONFIG", Reader.DR, ""),
            // read by steps themselves (Step#environment): the terraform steps
            new Variable("TF_BACKEND_MODE", Reader.STEPS, ""),
            new Variable("TF_BACKEND_BUCKET", Reader.STEPS, ""),
            new Variable("TF_BACKEND_KEY", Reader.STEPS, ""),
            new Variable("TF_BACKEND_DYNAMODB_TABLE", Reader.STEPS, ""),
            new Variable("TF_VAR_vpc_id", Reader.STEPS, ""),
            new Variable("TF_VAR_subnet_id", Reader.STEPS, ""),
            new Variable("AWS_PAGER", Reader.NOTHING, "dr calls AWS through its SDK, never the aws CLI, so there is no pager"),
            new Variable("IMAGE_TAG", Reader.NOTHING, "dr takes the release image as IMAGE_REF or --image-ref"),
            new Variable("RELEASE_METADATA", Reader.NOTHING, "dr takes the release image as IMAGE_REF or --image-ref"),
            new Variable("RUN_JOB", Reader.NOTHING, "the validate Job runs whenever the validate phase runs"),
            new Variable("APPLY", Reader.NOTHING, "dr apply applies and dr plan previews"));

    private static final Pattern RETRY_POLICY = Pattern.compile("^retry\\.phases\\.([a-z-]+)\\..*");
    private static final Pattern PHASE_VALUE = Pattern.compile("^phases\\[(\\d+)\\].*");

    private RunbookVariables() {}

    /** The names of the runbook's variables, in the runbook's order. */
    public static List<String> names() {
        return ALL.stream().map(Variable::name).toList();
    }

    /**
     * One line per runbook variable that is set (not empty) in {@code env} but has no effect on
     * this run of the plan.
     *
     * @param decisions {@link Planner#decide} of the loaded plan
     */
    public static List<String> warnings(Map<String, String> env, LoadedPlan loaded, List<PhaseDecision> decisions,
                                        StepCatalog steps) {
        Plan plan = loaded.plan().orElseThrow();
        List<String> out = new ArrayList<>();
        for (Variable v : ALL) {
            if (env.getOrDefault(v.name(), "").isEmpty()) {
                continue;
            }
            Map<String, String> read = readAt(v.name(), loaded, plan, decisions, steps);
            String why = read.isEmpty() ? unread(v, plan, decisions, steps) : read.containsValue(null) ? null
                    : plan.file() + " " + String.join(" and ", new java.util.TreeSet<>(read.values()));
            if (why != null) {
                out.add(v.name() + " is set but " + why + "; it has no effect");
            }
        }
        return out;
    }

    /**
     * The plan paths whose values came from the variable, each with why it does not count for
     * this run, or null where it does. (The target values EXPECTED_ACCOUNT_ID and the regions
     * confirmed are among them, and count.)
     */
    private static Map<String, String> readAt(String name, LoadedPlan loaded, Plan plan, List<PhaseDecision> decisions,
                                              StepCatalog steps) {
        Map<String, String> out = new TreeMap<>();
        loaded.sources().forEach((path, vars) -> {
            if (vars.containsKey(name)) {
                out.put(path, unused(path, plan, decisions, steps));
            }
        });
        return out;
    }

    /** Why the value at {@code path} is not used by this run, or null when a phase that runs uses it. */
    private static String unused(String path, Plan plan, List<PhaseDecision> decisions, StepCatalog steps) {
        Matcher phase = PHASE_VALUE.matcher(path);
        if (phase.matches()) {
            int i = Integer.parseInt(phase.group(1));
            boolean runs = i < decisions.size() && decisions.get(i).runs();
            return runs ? null : "runs no " + (i < decisions.size() ? decisions.get(i).phase().name().id() : "such")
                    + " phase";
        }
        Matcher policy = RETRY_POLICY.matcher(path);
        if (policy.matches()) {
            boolean runs = decisions.stream().anyMatch(d -> d.runs() && d.phase().name().id().equals(policy.group(1)));
            return runs ? null : "runs no " + policy.group(1) + " phase";
        }
        if (path.startsWith("retry.default.")) {
            boolean runs = decisions.stream().anyMatch(d -> d.runs() && !plan.retry().phases().containsKey(d.phase().name()));
            return runs ? null : "runs no phase whose retry budget is retry.default";
        }
        if (path.startsWith("sizing.") || path.startsWith("inputs.")) {
            boolean read = running(decisions).stream().map(u -> steps.find(u.uses()))
                    .anyMatch(info -> info.reads().stream().anyMatch(r -> path.equals(r) || path.startsWith(r + ".")));
            return read ? null : "runs no step that reads " + path;
        }
        return null; // target, run and metadata matter to every run
    }

    /** Why a variable the plan reads nowhere has no effect, or null when dr or a step that runs reads it. */
    private static String unread(Variable v, Plan plan, List<PhaseDecision> decisions, StepCatalog steps) {
        switch (v.reader()) {
            case DR:
                return null;
            case NOTHING:
                return "dr does not read it (" + v.why() + ")";
            case STEPS:
                if (running(decisions).stream().map(u -> steps.find(u.uses())).anyMatch(i -> i.readsVariable(v.name()))) {
                    return null;
                }
                return "no step of " + plan.file() + " that runs reads it (" + readers(v.name(), plan, steps) + ")";
            default:
                return "no value of " + plan.file() + " or a plan it extends comes from it";
        }
    }

    /** The steps that would read it, for the message: "terraform.apply, terraform.destroy do not run". */
    private static String readers(String name, Plan plan, StepCatalog steps) {
        List<String> names = new ArrayList<>();
        plan.phases().forEach(p -> p.steps().forEach(u -> {
            if (steps.find(u.uses()).readsVariable(name) && !names.contains(u.uses())) {
                names.add(u.uses());
            }
        }));
        return names.isEmpty() ? "the plan has no step that does" : String.join(", ", names)
                + (names.size() == 1 ? " does" : " do") + " not run";
    }

    private static List<StepUse> running(List<PhaseDecision> decisions) {
        List<StepUse> out = new ArrayList<>();
        decisions.stream().filter(PhaseDecision::runs).forEach(d -> out.addAll(d.phase().steps()));
        return out;
    }

}

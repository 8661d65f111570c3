package dev.dr.plan.load;

import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runbook's EXPECTED_ACCOUNT_ID, AWS_REGION and AWS_DEFAULT_REGION against the plan's
 * target. The plan names the account and region (they are reviewed with it); the environment
 * may only agree. One that disagrees refuses the plan as a guard (exit 3, nothing run) at the
 * line that sets the target, rather than silently acting on another account or region; one
 * that agrees is shown as the value's source.
 */
final class ExpectedTarget {

    static final String ACCOUNT_VARIABLE = "EXPECTED_ACCOUNT_ID";
    static final List<String> REGION_VARIABLES = List.of("AWS_REGION", "AWS_DEFAULT_REGION");
    static final NodePath ACCOUNT = NodePath.of("target", "accountId");
    static final NodePath REGION = NodePath.of("target", "region");

    /** @param sources confirming variables by dotted plan path, as {@link LoadedPlan#sources()} holds them */
    record Result(List<Problem> problems, Map<String, Map<String, String>> sources) {}

    private ExpectedTarget() {}

    static Result check(ObjectNode root, Map<String, String> env, Function<NodePath, Located> where,
                        Set<NodePath> sensitive) {
        List<Problem> problems = new ArrayList<>();
        Map<String, Map<String, String>> sources = new TreeMap<>();
        compare(root, env, where, sensitive, ACCOUNT, ACCOUNT_VARIABLE, "account", problems, sources);
        for (String variable : REGION_VARIABLES) {
            compare(root, env, where, sensitive, REGION, variable, "region", problems, sources);
        }
        return new Result(problems, sources);
    }

    private static void compare(ObjectNode root, Map<String, String> env, Function<NodePath, Located> where,
                                Set<NodePath> sensitive, NodePath path, String variable, String what,
                                List<Problem> problems, Map<String, Map<String, String>> sources) {
        String expected = env.getOrDefault(variable, "").strip();
        JsonNode target = root.path("target").path((String) path.last());
        if (expected.isEmpty() || !target.isString() || target.asString().contains("(unset: ")) {
            return;
        }
        String planned = target.asString();
        if (planned.equals(expected)) {
            sources.computeIfAbsent(path.toString(), p -> new TreeMap<>()).put(variable, expected);
            return;
        }
        String shown = sensitive.contains(path) ? "(sensitive value)" : planned;
        String fix = what.equals("account")
                ? "; run with the credentials and EXPECTED_ACCOUNT_ID of account " + shown + ", or use a plan whose"
                        + " target.accountId is " + expected
                : "; dr does not switch regions from the environment: set " + variable + "=" + shown + " (or unset it),"
                        + " or use a plan whose target.region is " + expected;
        problems.add(Problem.error(Problem.Kind.GUARD, where.apply(path).value(), path,
                variable + " is " + expected + " but the plan's " + what + " is " + shown + fix));
    }
}

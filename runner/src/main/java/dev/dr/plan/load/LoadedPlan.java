package dev.dr.plan.load;

import dev.dr.plan.model.Plan;
import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.SourcePos;
import dev.dr.source.Problem;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The outcome of loading a plan: the plan (absent when it is invalid), every problem found,
 * and what the plan-diff needs to say about where values came from.
 *
 * @param plan       present unless a YAML, schema or semantic error was found (a refused guard
 *                   still yields a plan, so the preview can show what was refused)
 * @param unset      environment variables the plan names that are not set
 * @param sensitive  paths whose values came from secret-looking variables
 * @param overrides  command-line values that replaced plan values
 * @param attemptCap the cap --max-attempts or --no-retry puts on every phase
 * @param document   the plan as resolved: its files merged, the overrides applied and the
 *                   variables filled in (present with the plan); what a run's static digest is taken of
 * @param sources    the set environment variables plan values were built from, by dotted plan path
 *                   ({@code retry.phases.validate.maxRetries}): name to value, secret-named ones masked
 * @param where      where a value of the resolved plan was written (file, line, column), for
 *                   checks made after loading (the folders a plan names)
 */
public record LoadedPlan(Optional<Plan> plan, List<Problem> problems, List<String> unset, Set<NodePath> sensitive,
                         List<AppliedOverride> overrides, Optional<Integer> attemptCap, Optional<JsonNode> document,
                         Map<String, Map<String, String>> sources, Function<NodePath, Located> where) {

    /** A plan whose values' positions are not known (one built from another): all at the start of its file. */
    public LoadedPlan(Optional<Plan> plan, List<Problem> problems, List<String> unset, Set<NodePath> sensitive,
                      List<AppliedOverride> overrides, Optional<Integer> attemptCap, Optional<JsonNode> document,
                      Map<String, Map<String, String>> sources) {
        this(plan, problems, unset, sensitive, overrides, attemptCap, document, sources,
                p -> new Located(null, SourcePos.startOf(plan.map(Plan::file).orElse("(plan)"))));
    }

    /** A plan without its resolved document (one not loaded from files). */
    public LoadedPlan(Optional<Plan> plan, List<Problem> problems, List<String> unset, Set<NodePath> sensitive,
                      List<AppliedOverride> overrides, Optional<Integer> attemptCap) {
        this(plan, problems, unset, sensitive, overrides, attemptCap, Optional.empty());
    }

    /** A plan none of whose values came from the environment. */
    public LoadedPlan(Optional<Plan> plan, List<Problem> problems, List<String> unset, Set<NodePath> sensitive,
                      List<AppliedOverride> overrides, Optional<Integer> attemptCap, Optional<JsonNode> document) {
        this(plan, problems, unset, sensitive, overrides, attemptCap, document, Map.of());
    }

    public LoadedPlan {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        sources.forEach((path, vars) -> copy.put(path, Collections.unmodifiableMap(new TreeMap<>(vars))));
        sources = Collections.unmodifiableMap(copy);
        problems = problems.stream().sorted().toList();
        unset = unset.stream().sorted().toList();
        sensitive = Set.copyOf(sensitive);
        overrides = List.copyOf(overrides);
        document = document.map(JsonNode::deepCopy);
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /** True when the only errors are refused guards: the plan is valid but must not run as is. */
    public boolean onlyGuardsRefused() {
        List<Problem> e = errors();
        return !e.isEmpty() && e.stream().allMatch(p -> p.kind() == Problem.Kind.GUARD);
    }
}

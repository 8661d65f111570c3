package dev.dr.plan.load;

import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.step.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in string values, as a shell does
 * ({@code :-} also applies when VAR is set but empty). An unset variable without a default
 * becomes {@code (unset: VAR)} and is listed: a preview shows it, apply refuses it.
 */
public final class Interpolator {

    public static final Pattern EXPRESSION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\\}");
    private static final Pattern OPENING = Pattern.compile("\\$\\{");

    private final Map<String, String> env;

    public Interpolator(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /**
     * What interpolation found.
     *
     * @param expressions the raw text of every value that held an expression, by path
     * @param sources     the set variables each value was built from, by path: name to the
     *                    variable's value (a default that was used is no source)
     */
    public record Result(Set<String> unset, Map<NodePath, String> expressions, Set<NodePath> sensitive,
                         List<Problem> problems, Map<NodePath, Map<String, String>> sources) {

        /** The variables a value was built from, as messages name them: {@code NAME=value}, secrets masked. */
        public String sourceText(NodePath path) {
            Map<String, String> vars = sources.getOrDefault(path, Map.of());
            List<String> out = new ArrayList<>();
            vars.forEach((name, value) -> out.add(name + "=" + (Secrets.isSecretName(name) ? "(sensitive value)" : value)));
            return String.join(", ", out);
        }
    }

    /** Rewrites string values of {@code root} in place. */
    public Result apply(ObjectNode root, Function<NodePath, Located> where) {
        return apply(root, where, Set.of());
    }

    /**
     * Rewrites string values of {@code root} in place, except at {@code literal} paths: values
     * given on the command line, which the shell has already expanded.
     */
    public Result apply(ObjectNode root, Function<NodePath, Located> where, Set<NodePath> literal) {
        Set<String> unset = new TreeSet<>();
        Map<NodePath, String> expressions = new TreeMap<>();
        Set<NodePath> sensitive = new TreeSet<>();
        List<Problem> problems = new ArrayList<>();
        Map<NodePath, Map<String, String>> sources = new TreeMap<>();
        walk(root, NodePath.ROOT, (path, raw) -> {
            if (!raw.contains("${") || literal.contains(path)) {
                return raw;
            }
            expressions.put(path, raw);
            StringBuilder out = new StringBuilder();
            Matcher m = EXPRESSION.matcher(raw);
            int last = 0;
            while (m.find()) {
                String before = raw.substring(last, m.start());
                checkNoStrayOpening(before, path, where, problems);
                out.append(before);
                String name = m.group(1);
                String value = env.get(name);
                if (Secrets.isSecretName(name)) {
                    sensitive.add(path);
                }
                if (value != null && !(value.isEmpty() && m.group(2) != null)) {
                    out.append(value);
                    sources.computeIfAbsent(path, p -> new TreeMap<>()).put(name, value);
                } else if (m.group(2) != null) {
                    out.append(m.group(2));
                } else {
                    unset.add(name);
                    out.append("(unset: ").append(name).append(')');
                }
                last = m.end();
            }
            String tail = raw.substring(last);
            checkNoStrayOpening(tail, path, where, problems);
            out.append(tail);
            return out.toString();
        });
        return new Result(unset, expressions, sensitive, problems, sources);
    }

    private static void checkNoStrayOpening(String text, NodePath path, Function<NodePath, Located> where,
                                            List<Problem> problems) {
        if (OPENING.matcher(text).find()) {
            problems.add(Problem.error(Problem.Kind.SEMANTIC, where.apply(path).value(), path,
                    "malformed variable reference in '" + text + "'; expected ${NAME} or ${NAME:-default}"
                            + " with NAME made of letters, digits and _"));
        }
    }

    private interface StringRewrite {
        String rewrite(NodePath path, String value);
    }

    private static void walk(JsonNode node, NodePath path, StringRewrite f) {
        if (node instanceof ObjectNode obj) {
            for (String key : List.copyOf(obj.propertyNames())) {
                JsonNode child = obj.get(key);
                if (child.isString()) {
                    obj.set(key, StringNode.valueOf(f.rewrite(path.child(key), child.asString())));
                } else {
                    walk(child, path.child(key), f);
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                JsonNode child = arr.get(i);
                if (child.isString()) {
                    arr.set(i, StringNode.valueOf(f.rewrite(path.child(i), child.asString())));
                } else {
                    walk(child, path.child(i), f);
                }
            }
        }
    }
}

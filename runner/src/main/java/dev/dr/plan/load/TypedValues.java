package dev.dr.plan.load;

import dev.dr.plan.model.RetryPolicy;
import dev.dr.source.Located;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.step.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The number and duration fields a plan may fill from the environment (a retry budget's
 * {@code maxAttempts} and {@code maxRetries}, as {@code ${DR_VALIDATE_MAX_RETRIES:-2}}; a
 * duration such as {@code ${DR_VALIDATE_RETRY_BACKOFF_SECONDS:-15}s}). The schema can only
 * check the expression; once expanded, the value gets the check the schema gives a literal,
 * and a number field becomes a number. A bad value is an error at the expression's
 * file:line:column that names the variable and its value.
 */
final class TypedValues {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("[0-9]{1,9}");

    private TypedValues() {}

    /** Converts the expanded fields of {@code root} in place; the problems of those that are not valid. */
    static List<Problem> convert(ObjectNode root, Interpolator.Result interpolation, Function<NodePath, Located> where) {
        List<Problem> out = new ArrayList<>();
        for (NodePath path : interpolation.expressions().keySet()) {
            JsonNode node = at(root, path);
            if (node == null || !node.isString()) {
                continue;
            }
            String value = node.asString();
            String from = interpolation.sourceText(path);
            String source = from.isEmpty() ? " (the default of " + interpolation.expressions().get(path) + ")"
                    : " (from " + from + ")";
            if (isAttempts(path) || isRetries(path)) {
                int min = isAttempts(path) ? 1 : 0;
                int max = isAttempts(path) ? RetryPolicy.MAX_ATTEMPTS_LIMIT : RetryPolicy.MAX_ATTEMPTS_LIMIT - 1;
                String what = isAttempts(path) ? "attempts" : "retries";
                if (!WHOLE_NUMBER.matcher(value).matches()) {
                    out.add(error(where, path, "expected a whole number of " + what + " from " + min + " to " + max
                            + ", was '" + value + "'" + source));
                    continue;
                }
                int n = Integer.parseInt(value);
                if (n < min || n > max) {
                    out.add(error(where, path, "must be between " + min + " and " + max + ", was " + n + source));
                    continue;
                }
                replace(root, path, IntNode.valueOf(n));
            } else if (isDuration(path) && !Durations.isValid(value)) {
                out.add(error(where, path, "expected a duration: one or more of <number><unit> with unit ms, s, m or h,"
                        + " e.g. 15s, 2m, 1h30m; was '" + value + "'" + source));
            }
        }
        return out;
    }

    /** {@code retry.default.maxAttempts} or {@code retry.phases.<phase>.maxAttempts}. */
    static boolean isAttempts(NodePath p) {
        return isPolicyKey(p, "maxAttempts");
    }

    static boolean isRetries(NodePath p) {
        return isPolicyKey(p, "maxRetries");
    }

    private static boolean isPolicyKey(NodePath p, String key) {
        List<Object> s = p.segments();
        if (s.isEmpty() || !key.equals(s.get(s.size() - 1)) || !"retry".equals(s.get(0))) {
            return false;
        }
        return (s.size() == 3 && "default".equals(s.get(1))) || (s.size() == 4 && "phases".equals(s.get(1)));
    }

    /** A phase's or an approval's timeout, a backoff's initial or max. */
    private static boolean isDuration(NodePath p) {
        List<Object> s = p.segments();
        if (s.isEmpty()) {
            return false;
        }
        Object last = s.get(s.size() - 1);
        if ("phases".equals(s.get(0))) {
            return "timeout".equals(last);
        }
        return "retry".equals(s.get(0)) && s.size() >= 2 && "backoff".equals(s.get(s.size() - 2))
                && ("initial".equals(last) || "max".equals(last));
    }

    private static Problem error(Function<NodePath, Located> where, NodePath path, String message) {
        return Problem.error(Problem.Kind.SEMANTIC, where.apply(path).value(), path, message);
    }

    private static JsonNode at(JsonNode root, NodePath path) {
        JsonNode n = root;
        for (Object seg : path.segments()) {
            if (n == null) {
                return null;
            }
            n = seg instanceof Integer i ? n.get(i) : n.get((String) seg);
        }
        return n;
    }

    private static void replace(ObjectNode root, NodePath path, JsonNode value) {
        JsonNode parent = at(root, path.parent());
        if (parent instanceof ObjectNode o) {
            o.set((String) path.last(), value);
        }
    }
}

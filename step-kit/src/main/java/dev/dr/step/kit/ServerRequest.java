package dev.dr.step.kit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One request the real server of a contract test received: its HTTP method, its path and, for
 * the AWS APIs that POST every call (query and JSON protocols), the action it named.
 *
 * @param action the AWS action ({@code Action=} of a query-protocol form, or the operation of an
 *               {@code X-Amz-Target} header), empty for REST APIs such as S3 and Kubernetes
 */
public record ServerRequest(String method, String path, Optional<String> action) {

    private static final Set<String> WRITING_METHODS = Set.of("PUT", "POST", "PATCH", "DELETE");
    // The AWS APIs name their reading actions this way; everything else may change something.
    private static final Pattern READING_ACTION = Pattern.compile("(Describe|Get|List|Head|Batch(Get|Check))[A-Z].*");

    public ServerRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(action, "action");
    }

    public static ServerRequest rest(String method, String path) {
        return new ServerRequest(method, path, Optional.empty());
    }

    /**
     * A request as it came over HTTP, its action read from an AWS JSON-protocol target header
     * ({@code X-Amz-Target}) or a query-protocol form ({@code Action=}); either may be null.
     */
    public static ServerRequest of(String method, String path, String amzTarget, String contentType,
                                   Supplier<String> body) {
        if (amzTarget != null && !amzTarget.isEmpty()) {
            return new ServerRequest(method, path, Optional.of(amzTarget.substring(amzTarget.lastIndexOf('.') + 1)));
        }
        if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
            for (String pair : body.get().split("&")) {
                if (pair.startsWith("Action=")) {
                    return new ServerRequest(method, path,
                            Optional.of(URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8)));
                }
            }
        }
        return rest(method, path);
    }

    /** True when the request asks the server to change something. */
    public boolean mutating() {
        return action.map(a -> !READING_ACTION.matcher(a).matches())
                .orElseGet(() -> WRITING_METHODS.contains(method));
    }

    @Override
    public String toString() {
        return method + " " + path + action.map(a -> " (" + a + ")").orElse("");
    }
}

package dev.dr.aws;

import dev.dr.step.StepContext;
import java.net.URI;
import java.util.Optional;

/**
 * Where the S3 client talks to. Credentials come from the SDK's default chain (profiles,
 * environment, SSO), the region from the plan's target. An endpoint is set only for an
 * S3-compatible server such as the sandbox's; it needs path-style addressing, and the
 * sandbox's takes unsigned requests.
 *
 * @param region    the region, e.g. us-east-1; empty leaves it to the SDK's chain
 * @param endpoint  a non-AWS endpoint, or empty for AWS itself
 * @param unsigned  send requests without credentials (the sandbox's S3 server)
 */
public record S3Settings(Optional<String> region, Optional<URI> endpoint, boolean unsigned) {

    /** Receipt outputs the sandbox's bringup leaves: its S3 endpoint, which takes unsigned requests. */
    public static final String ENDPOINT_OUTPUT = "s3.endpoint";

    /** For a step: the target's region and, after a sandbox bringup, the sandbox's endpoint. */
    public static S3Settings of(StepContext ctx) {
        Optional<URI> endpoint = Optional.ofNullable(ctx.outputs().get(ENDPOINT_OUTPUT))
                .filter(s -> !s.isBlank()).map(URI::create);
        return new S3Settings(ctx.setting("target.region").filter(s -> !s.isBlank()), endpoint, endpoint.isPresent());
    }

    /** AWS itself in a region. */
    public static S3Settings aws(String region) {
        return new S3Settings(Optional.ofNullable(region), Optional.empty(), false);
    }
}

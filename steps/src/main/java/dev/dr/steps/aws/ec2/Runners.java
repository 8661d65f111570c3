package dev.dr.steps.aws.ec2;

import dev.dr.aws.S3Errors;
import dev.dr.step.StepFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;

/**
 * The EC2 instances that still count as DR runners: every tag given, in a state that costs or
 * can come back (pending, running, stopping, stopped). Shutting-down and terminated instances
 * are on their way out and do not count.
 */
public final class Runners {
    private Runners() {}

    /** The states in which an instance is still a runner. */
    public static final List<String> STATES = List.of("pending", "running", "stopping", "stopped");

    /** Every runner carrying all of {@code tags}, over all pages, sorted by instance id. */
    public static List<Runner> find(Ec2Client ec2, Map<String, String> tags) throws StepFailure {
        List<Filter> filters = new ArrayList<>();
        tags.forEach((k, v) -> filters.add(Filter.builder().name("tag:" + k).values(v).build()));
        filters.add(Filter.builder().name("instance-state-name").values(STATES).build());
        List<Runner> out = new ArrayList<>();
        try {
            for (var page : ec2.describeInstancesPaginator(b -> b.filters(filters).maxResults(1000))) {
                for (Reservation r : page.reservations()) {
                    for (Instance i : r.instances()) {
                        out.add(new Runner(i.instanceId(), i.state() == null ? "unknown" : i.state().nameAsString()));
                    }
                }
            }
        } catch (SdkException e) {
            throw S3Errors.classify("ec2:DescribeInstances (" + describe(tags) + ")", e);
        }
        out.sort(Comparator.comparing(Runner::instanceId));
        return out;
    }

    /** {@code dr:role=runner, team=ops}, for messages. */
    public static String describe(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}

package dev.dr.steps.aws.ec2;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.aws.AwsClients;
import dev.dr.aws.S3Settings;
import dev.dr.json.JsonTrees;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import tools.jackson.databind.JsonNode;

/**
 * {@code ec2.verify-no-runners}: teardown is done only when no EC2 instance tagged as a DR
 * runner is left in the target region, since a forgotten runner keeps costing. It reads
 * only; a count above zero fails the phase, naming each instance and its state.
 */
public final class Ec2VerifyNoRunnersStep extends DescribedStep {
    public Ec2VerifyNoRunnersStep() {
        super("ec2.verify-no-runners");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        Map<String, String> tags = tags(ctx);
        List<Runner> left = find(ctx, tags);
        return Optional.of(List.of(new Change("unchanged", "EC2 instances tagged " + Runners.describe(tags) + " in "
                + region(ctx) + ": " + left.size() + " DR runner" + (left.size() == 1 ? "" : "s") + " running now"
                + (left.isEmpty() ? "" : ": " + list(left)))));
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        Map<String, String> tags = tags(ctx);
        List<Runner> left = find(ctx, tags);
        if (!left.isEmpty()) {
            throw StepFailure.permanent(left.size() + " DR runner" + (left.size() == 1 ? "" : "s") + " left in " + region(ctx)
                    + " (tagged " + Runners.describe(tags) + "): " + list(left) + "; teardown must leave none");
        }
        ctx.log("ec2: no instance tagged " + Runners.describe(tags) + " is " + String.join(", ", Runners.STATES)
                + " in " + region(ctx));
        return StepResult.of("runners.left", "0");
    }

    private static List<Runner> find(StepContext ctx, Map<String, String> tags) throws StepFailure {
        S3Settings settings = AwsClients.settings(ctx.outputs(), ctx.setting("target.region"));
        try (AwsClientRegistry.Lease<Ec2Client> ec2 = AwsClientRegistry.forStep(ctx, Ec2Client.class, Ec2Client::builder,
                settings)) {
            return Runners.find(ec2.client(), tags);
        }
    }

    /** with.tags, or the schema's default when the caller filled in no defaults; never empty, which would count every instance. */
    private Map<String, String> tags(StepContext ctx) throws StepFailure {
        JsonNode t = ctx.with().get("tags");
        if (t == null || t.isNull()) {
            t = JsonTrees.read(withSchema()).path("properties").path("tags").path("default");
        }
        Map<String, String> out = new TreeMap<>();
        t.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        if (out.isEmpty()) {
            throw StepFailure.permanent("with.tags is empty: it would count every instance of the account as a DR runner");
        }
        return out;
    }

    private static String region(StepContext ctx) {
        return ctx.setting("target.region").filter(s -> !s.isBlank()).orElse("the SDK's default region");
    }

    private static String list(List<Runner> runners) {
        return String.join(", ", runners.stream().map(Runner::toString).toList());
    }
}

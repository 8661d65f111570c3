package dev.dr.steps.failback;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.pointers.PublishPointers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code failback.verify-divergence}: before the pointers go back, the primary must hold what
 * DR published while it was canonical, byte for byte. Any object only on one side, or with
 * different hashes, refuses the failback, listed object by object; the comparison is kept in
 * {@code failback/divergence.json}.
 */
public final class FailbackVerifyDivergenceStep extends DescribedStep {

    public FailbackVerifyDivergenceStep() {
        super("failback.verify-divergence");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        String scope = scope(ctx);
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            List<Divergence.Entry> all = Divergence.compare(s3, side(p, PublishPointers.PRIMARY, scope),
                    side(p, PublishPointers.DR, scope), scope.isEmpty());
            long diverging = all.stream().filter(Divergence.Entry::diverges).count();
            return Optional.of(List.of(new Change("unchanged", "compare " + side(p, PublishPointers.PRIMARY, scope) + " with "
                    + side(p, PublishPointers.DR, scope) + " (" + all.size() + " objects, " + diverging + " diverging now"
                    + scoped(scope) + ")")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        String scope = scope(ctx);
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            List<Divergence.Entry> all = Divergence.compare(s3, side(p, PublishPointers.PRIMARY, scope),
                    side(p, PublishPointers.DR, scope), scope.isEmpty());
            write(ctx.workDir().resolve("failback").resolve("divergence.json"), all);
            List<String> diverging = all.stream().filter(Divergence.Entry::diverges).map(Divergence.Entry::describe).toList();
            if (!diverging.isEmpty()) {
                throw FailbackSteps.refused(ctx, "divergence", Map.of("pointer", p.canonicalUri().toString()), StepFailure.permanent(
                        "primary and DR publish outputs diverge (" + diverging.size() + " of " + all.size()
                        + " objects" + scoped(scope) + "); copy DR's outputs to the primary first:\n  "
                        + String.join("\n  ", diverging)));
            }
            FailbackSteps.transition(ctx, "divergence: none (" + all.size() + " objects match by sha256" + scoped(scope) + ")");
            return new StepResult(Map.of("failback.objects.compared", Integer.toString(all.size())));
        }
    }

    /**
     * The part of each side compared, below its publish prefix: {@code <provider>/<profile>},
     * {@code <provider>}, or "" for everything (no provider given).
     */
    static String scope(StepContext ctx) throws StepFailure {
        String provider = ctx.with().path("provider").asString("");
        String profile = ctx.with().path("profile").asString("");
        if (provider.isEmpty() && !profile.isEmpty()) {
            throw StepFailure.permanent("failback.verify-divergence: profile '" + profile + "' needs a provider: the"
                    + " outputs compared are <publish prefix>/<provider>/<profile>/");
        }
        return provider.isEmpty() ? "" : profile.isEmpty() ? provider : provider + "/" + profile;
    }

    private static S3Uri side(PublishPointers p, String side, String scope) {
        return scope.isEmpty() ? p.prefixOf(side) : p.prefixOf(side).resolve(scope);
    }

    private static String scoped(String scope) {
        return scope.isEmpty() ? "" : ", only " + scope + "/";
    }

    private static void write(Path file, List<Divergence.Entry> all) throws StepFailure {
        // the process's one default mapper, taken here and not in a static field: every command
        // that lists the steps creates this class, and building a mapper costs ~18 ms at start-up
        JsonMapper json = JsonMapper.shared();
        ArrayNode a = json.createArrayNode();
        for (Divergence.Entry e : all) {
            ObjectNode o = a.addObject();
            o.put("key", e.key());
            o.put("primarySha256", e.primarySha256());
            o.put("drSha256", e.drSha256());
            o.put("diverges", e.diverges());
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(a) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot write " + file + ": " + e.getMessage());
        }
    }
}

package dev.dr.steps.failback;

import dev.dr.aws.S3Objects;
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
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public FailbackVerifyDivergenceStep() {
        super("failback.verify-divergence");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            List<Divergence.Entry> all = Divergence.compare(s3, p.prefixOf(PublishPointers.PRIMARY), p.prefixOf(PublishPointers.DR));
            long diverging = all.stream().filter(Divergence.Entry::diverges).count();
            return Optional.of(List.of(new Change("unchanged", "compare " + p.prefixOf(PublishPointers.PRIMARY) + " with "
                    + p.prefixOf(PublishPointers.DR) + " (" + all.size() + " objects, " + diverging + " diverging now)")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = S3Objects.forStep(ctx)) {
            PublishPointers p = PublishPointers.of(ctx, s3);
            List<Divergence.Entry> all = Divergence.compare(s3, p.prefixOf(PublishPointers.PRIMARY), p.prefixOf(PublishPointers.DR));
            write(ctx.workDir().resolve("failback").resolve("divergence.json"), all);
            List<String> diverging = all.stream().filter(Divergence.Entry::diverges).map(Divergence.Entry::describe).toList();
            if (!diverging.isEmpty()) {
                throw FailbackSteps.refused(ctx, "divergence", Map.of("pointer", p.canonicalUri().toString()), StepFailure.permanent(
                        "primary and DR publish outputs diverge (" + diverging.size() + " of " + all.size()
                        + " objects); copy DR's outputs to the primary first:\n  " + String.join("\n  ", diverging)));
            }
            FailbackSteps.transition(ctx, "divergence: none (" + all.size() + " objects match by sha256)");
            return new StepResult(Map.of("failback.objects.compared", Integer.toString(all.size())));
        }
    }

    private static void write(Path file, List<Divergence.Entry> all) throws StepFailure {
        ArrayNode a = JSON.createArrayNode();
        for (Divergence.Entry e : all) {
            ObjectNode o = a.addObject();
            o.put("key", e.key());
            o.put("primarySha256", e.primarySha256());
            o.put("drSha256", e.drSha256());
            o.put("diverges", e.diverges());
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot write " + file + ": " + e.getMessage());
        }
    }
}

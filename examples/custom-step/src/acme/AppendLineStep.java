package acme;

import dev.dr.step.Change;
import dev.dr.step.PreviewKind;
import dev.dr.step.Step;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A third-party step: appends a line to a file, e.g. a drill journal a team keeps. It shows the
 * whole contract: a name plans use, a settings schema, the plan values it reads, what it
 * touches (for the offline plan-diff), and apply with a classified failure.
 */
public final class AppendLineStep implements Step {

    @Override
    public String name() {
        return "acme.append-line";
    }

    @Override
    public String description() {
        return "Append a line to a file (an example of a third-party step).";
    }

    @Override
    public PreviewKind previewKind() {
        return PreviewKind.EXACT;
    }

    @Override
    public String withSchema() {
        return "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"file\",\"line\"],"
                + "\"properties\":{\"file\":{\"type\":\"string\",\"description\":\"File to append to.\"},"
                + "\"line\":{\"type\":\"string\",\"description\":\"The line; {namespace} is replaced.\"}}}";
    }

    @Override
    public List<String> reads() {
        return List.of("target.namespace");
    }

    @Override
    public List<Change> offlineChanges() {
        return List.of(new Change("update", "file {with.file}"));
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        Path file = Path.of(ctx.with().get("file").asString());
        String line = ctx.with().get("line").asString().replace("{namespace}", ctx.setting("target.namespace").orElse(""));
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot append to " + file + ": " + e.getMessage());
        }
        ctx.log("appended to " + file);
        return StepResult.of("journal", file.toString());
    }
}

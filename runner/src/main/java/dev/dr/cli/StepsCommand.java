package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.render.JsonRenderer;
import dev.dr.step.StepInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "steps", mixinStandardHelpOptions = true, description = "List the steps plans can use, with their settings schemas.",
        footer = {"", "Examples:", "  dr steps", "  dr steps --format json"})
final class StepsCommand implements Callable<Integer> {
    enum Format { text, json }

    private final Context ctx;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.text;

    StepsCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        StepCatalog catalog = StepCatalog.load(StepsCommand.class.getClassLoader());
        if (format == Format.json) {
            ArrayNode arr = JsonNodeFactory.instance.arrayNode();
            for (StepInfo s : catalog.all()) {
                ObjectNode n = arr.addObject();
                n.put("name", s.name());
                n.put("description", s.description());
                n.put("preview", s.previewKind().id());
                n.put("implemented", true); // kept for readers of this list: every step has a class
                ArrayNode reads = n.putArray("reads");
                s.reads().forEach(reads::add);
                n.set("with", s.withSchema());
            }
            ctx.out().print(new JsonRenderer().render(arr));
        } else {
            int w = catalog.names().stream().mapToInt(String::length).max().orElse(0);
            for (StepInfo s : catalog.all()) {
                ctx.out().println(String.format(java.util.Locale.ROOT, "%-" + w + "s  %-9s  %s", s.name(),
                        s.previewKind().id(), s.description()));
            }
        }
        ctx.out().flush();
        return ExitCodes.OK;
    }
}

package dev.dr.render;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A JSON document (the plan-diff, a saved plan), pretty-printed with sorted keys and '\n' line ends on every OS. */
public final class JsonRenderer {
    // the process's one default mapper, which the schema check uses too: built once, not per class
    private static final JsonMapper JSON = JsonMapper.shared();

    /** The plan-diff's JSON document (schema/plan-diff.schema.json). */
    public String render(dev.dr.diff.PlanDiff d) {
        return render(dev.dr.diff.PlanDiffJson.toJson(d));
    }

    public String render(JsonNode d) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JSON.writer().with(pp).writeValueAsString(dev.dr.diff.Canonical.sorted(d)) + "\n";
    }
}

package dev.dr.render;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The plan-diff document itself, pretty-printed with sorted keys and '\n' line ends on every OS. */
public final class JsonRenderer {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public String render(JsonNode d) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JSON.writer().with(pp).writeValueAsString(dev.dr.diff.Canonical.sorted(d)) + "\n";
    }
}

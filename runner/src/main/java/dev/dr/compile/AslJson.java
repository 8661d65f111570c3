package dev.dr.compile;

import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A state machine definition as text: keys in the order the compiler put them (Type first,
 * Next last, states in the order they run), two-space indent, {@code "key": value}, '\n' line
 * ends on every OS and a final newline. Nothing in it depends on the clock, locale or machine.
 */
public final class AslJson {
    // the process's one default mapper, which the schema check uses too: built once, not per class
    private static final JsonMapper JSON = JsonMapper.shared();

    private AslJson() {}

    public static String write(JsonNode definition) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectNameValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        return JSON.writer().with(pp).writeValueAsString(definition) + "\n";
    }
}

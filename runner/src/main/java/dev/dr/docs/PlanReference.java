package dev.dr.docs;

import dev.dr.source.NodePath;
import dev.dr.source.SourceDoc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * docs/plan-reference.md: the hand-written page docs/src/plan-reference.md with the key
 * tables and the value types generated from schema/drill-plan.schema.json. What the schema
 * cannot say (the runbook flag a key mirrors, a default that is not a JSON value) comes from
 * docs/src/plan-reference.keys.yaml, one entry per row id.
 *
 * <p>Row ids are dotted paths: {@code run.startAt} for a key of the plan, and
 * {@code $defs/retryPolicy.backoff.initial} for a key of a named type.
 */
final class PlanReference {

    static final List<String> HEADER = List.of("Key", "Type", "Default", "Runbook", "Description");

    private final JsonNode schema;
    private final SchemaText text;
    private final SourceDoc notes;
    private final Set<String> placed = new LinkedHashSet<>();
    private final Set<String> rows = new LinkedHashSet<>();

    PlanReference(JsonNode schema, SourceDoc notes) {
        this.schema = schema;
        this.text = new SchemaText(schema);
        this.notes = notes;
    }

    String render(String template, String display) {
        Map<String, Function<String, String>> g = new LinkedHashMap<>();
        g.put("keys", this::keys);
        g.put("keys-rest", a -> rest());
        g.put("value-types", a -> valueTypes());
        String page = Template.expand(template, display, g);
        for (String id : notes.root().propertyNames()) {
            if (!rows.contains(id)) {
                throw new DocsSourceException(notes.at(NodePath.of(id)).key() + ": '" + id
                        + "' is not a row of the generated key tables (the schema has no such key)");
            }
        }
        return page;
    }

    /** The table of one object: "." for the top level, a property ("run") or a named type ("$defs/phase"). */
    private String keys(String id) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("keys needs a table: ., a top-level key, or $defs/NAME");
        }
        JsonNode object = object(id);
        if (!placed.add(id)) {
            throw new IllegalArgumentException("the table of '" + id + "' is already on the page");
        }
        List<List<String>> out = new ArrayList<>();
        String prefix = id.equals(".") ? "" : id + ".";
        addRows(out, object, prefix, "", !id.equals("."));
        String anchor = id.startsWith("$defs/") ? "<a id=\"" + SchemaText.defAnchor(id.substring(6)) + "\"></a>\n\n" : "";
        return anchor + Markdown.table(HEADER, out);
    }

    private JsonNode object(String id) {
        JsonNode o;
        if (id.equals(".")) {
            o = schema;
        } else if (id.startsWith("$defs/")) {
            o = schema.path("$defs").path(id.substring(6));
        } else {
            o = schema.path("properties").path(id);
        }
        if (o.isMissingNode() || !o.has("properties")) {
            throw new IllegalArgumentException("'" + id + "' is not an object with properties in the schema");
        }
        return o;
    }

    private void addRows(List<List<String>> out, JsonNode object, String idPrefix, String keyPrefix, boolean flatten) {
        Set<String> required = new LinkedHashSet<>();
        object.path("required").forEach(r -> required.add(r.asString()));
        for (Map.Entry<String, JsonNode> e : object.path("properties").properties()) {
            String key = keyPrefix + e.getKey();
            String id = idPrefix + e.getKey();
            JsonNode s = e.getValue();
            rows.add(id);
            JsonNode note = notes.root().path(id);
            // the top-level table points at the section of each map instead of listing its keys again
            String type = !flatten && text.refName(s) == null && s.has("properties")
                    ? "map, see [`" + key + "`](#" + key.toLowerCase(java.util.Locale.ROOT) + ")" : text.type(s);
            String def = required.contains(e.getKey()) ? "required" : SchemaText.schemaDefault(s);
            if (def == null) {
                def = note.path("default").asString("—");
            }
            String description = Markdown.prose(text.description(s));
            if (note.has("note")) {
                description += " " + note.get("note").asString();
            }
            out.add(List.of(Markdown.code(key), type, def, note.path("runbook").asString("—"), description));
            if (flatten && text.refName(s) == null && s.has("properties")) {
                addRows(out, s, id + ".", key + ".", true);
            }
        }
    }

    /** Tables for the objects no keys line placed, so a new section of the schema is never left out. */
    private String rest() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
            if (e.getValue().has("properties") && !placed.contains(e.getKey())) {
                out.append("### ").append(Markdown.code(e.getKey())).append("\n\n").append(keys(e.getKey())).append('\n');
            }
        }
        for (Map.Entry<String, JsonNode> e : schema.path("$defs").properties()) {
            String id = "$defs/" + e.getKey();
            if (e.getValue().has("properties") && !placed.contains(id)) {
                out.append("### ").append(Markdown.code(e.getKey())).append("\n\n").append(keys(id)).append('\n');
            }
        }
        return out.toString();
    }

    /** The named value types of $defs (everything but objects): what each accepts. */
    private String valueTypes() {
        List<List<String>> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : schema.path("$defs").properties()) {
            JsonNode d = e.getValue();
            if (SchemaText.isObject(d)) {
                continue;
            }
            String name = "<a id=\"" + SchemaText.valueAnchor(e.getKey()) + "\"></a>" + Markdown.code(e.getKey());
            out.add(List.of(name, text.type(d), Markdown.prose(d.path("description").asString(""))));
        }
        return Markdown.table(List.of("Type", "Accepts", "Description"), out);
    }
}

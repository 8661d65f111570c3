package dev.dr.docs;

import dev.dr.step.Change;
import dev.dr.step.StepInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * docs/steps.md: the hand-written page docs/src/steps.md with a section per step of the
 * catalog. A section is generated from the step itself (description, preview kind, reads,
 * changes, settings schema), its example from the shipped plans, and the step's own prose
 * from docs/src/steps/NAME.md when there is one.
 */
final class StepReference {

    private final List<StepInfo> steps;
    private final Map<String, String> prose;
    private final StepUses uses;

    /**
     * @param prose the partials by step name; one for a step the catalog lacks is an error
     */
    StepReference(List<StepInfo> steps, Map<String, String> prose, StepUses uses) {
        Set<String> names = new LinkedHashSet<>();
        steps.forEach(s -> names.add(s.name()));
        for (String p : prose.keySet()) {
            if (!names.contains(p)) {
                throw new DocsSourceException("docs/src/steps/" + p + ".md: no step named '" + p
                        + "' in the catalog (dr steps lists them); rename or delete the file");
            }
        }
        this.steps = ordered(steps, uses);
        this.prose = prose;
        this.uses = uses;
    }

    /** The steps in the order a drill meets them, then the ones no shipped plan uses, by name. */
    private static List<StepInfo> ordered(List<StepInfo> steps, StepUses uses) {
        Map<String, StepInfo> byName = new LinkedHashMap<>();
        steps.forEach(s -> byName.put(s.name(), s));
        List<StepInfo> out = new ArrayList<>();
        for (String n : uses.lifecycleOrder()) {
            if (byName.containsKey(n)) {
                out.add(byName.remove(n));
            }
        }
        out.addAll(byName.values());
        return out;
    }

    String render(String template, String display) {
        Map<String, Function<String, String>> g = new LinkedHashMap<>();
        g.put("steps-table", a -> glance());
        g.put("steps", a -> sections());
        return Template.expand(template, display, g);
    }

    private String glance() {
        List<List<String>> rows = new ArrayList<>();
        for (StepInfo s : steps) {
            Set<String> where = new LinkedHashSet<>();
            List<StepUses.Use> all = uses.of(s.name());
            boolean shipped = all.stream().anyMatch(StepUses::isShipped);
            for (StepUses.Use u : all) {
                if (StepUses.isShipped(u)) {
                    where.add(u.phase());
                } else if (!shipped) {
                    where.add(u.phase() + " (" + Markdown.code(u.file()) + ")");
                }
            }
            rows.add(List.of("[" + Markdown.code(s.name()) + "](#" + anchor(s.name()) + ")", s.previewKind().id(),
                    where.isEmpty() ? "—" : String.join(", ", where)));
        }
        return Markdown.table(List.of("Step", "Preview", "Used in"), rows);
    }

    /** GitHub's anchor of a heading that is the step name in a code span. */
    static String anchor(String name) {
        return name.replaceAll("[^a-z0-9 _-]", "");
    }

    private String sections() {
        StringBuilder out = new StringBuilder();
        for (StepInfo s : steps) {
            out.append("## ").append(Markdown.code(s.name())).append("\n\n");
            if (!s.description().isBlank()) {
                out.append(s.description().strip()).append("\n\n");
            }
            String own = prose.get(s.name());
            if (own != null && !own.isBlank()) {
                out.append(own.strip()).append("\n\n");
            }
            out.append("- **Preview:** ").append(s.previewKind().id()).append('\n');
            out.append("- **Reads:** ").append(s.reads().isEmpty() ? "nothing besides `with:`"
                    : String.join(", ", s.reads().stream().map(Markdown::code).toList())).append('\n');
            out.append("- **Changes:** ").append(changes(s.changes())).append('\n');
            JsonNode props = s.withSchema().path("properties");
            if (props.isEmpty()) {
                out.append("- **Settings:** none.\n\n");
            } else {
                out.append('\n').append(settings(s.withSchema())).append('\n');
            }
            List<StepUses.Use> used = uses.of(s.name());
            if (!used.isEmpty()) {
                StepUses.Use u = used.get(0);
                out.append("Example (").append(Markdown.code(u.file())).append(", ").append(u.phase()).append("):\n\n")
                        .append("```yaml\n").append(u.line()).append("\n```\n\n");
            }
        }
        return out.toString().stripTrailing() + "\n";
    }

    private static String changes(List<Change> changes) {
        if (changes.isEmpty()) {
            return "none (reads only)";
        }
        List<String> out = new ArrayList<>();
        for (Change c : changes) {
            String sign = switch (c.action()) {
                case "create" -> "+ create ";
                case "update" -> "~ update ";
                case "delete" -> "- delete ";
                case "unchanged" -> "= unchanged ";
                default -> "? ";
            };
            out.add(Markdown.code(sign + c.resource()));
        }
        return String.join("; ", out);
    }

    private static String settings(JsonNode schema) {
        SchemaText text = new SchemaText(schema);
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asString()));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : schema.path("properties").properties()) {
            String def = SchemaText.schemaDefault(e.getValue());
            rows.add(List.of(Markdown.code(e.getKey()), text.type(e.getValue()), required.contains(e.getKey()) ? "yes" : "no",
                    def == null ? "—" : def, Markdown.prose(text.description(e.getValue()))));
        }
        return Markdown.table(List.of("Key", "Type", "Required", "Default", "Description"), rows);
    }
}

package dev.dr.plan.load;

import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.source.SchemaCheck;
import dev.dr.source.SourceDoc;
import dev.dr.source.SourcePos;
import dev.dr.source.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Reads a plan and the plans it extends, each checked against the plan schema on its own
 * (as ajv checks each file), and reports a missing base or a cycle at the extends line.
 */
final class ChainReader {

    static final int MAX_DEPTH = 8;

    private final YamlReader yaml;
    private final SchemaCheck schema;
    /**
     * Files already read and checked by this reader, by real path and display name: plans that
     * share a base (lint of many plans) read and check it once. A reader lives for one
     * command, during which plan files are not expected to change.
     */
    private final Map<String, Parsed> parsed = new HashMap<>();

    private record Parsed(YamlReader.Result result, List<Problem> schemaProblems) {}

    ChainReader(YamlReader yaml, SchemaCheck schema) {
        this.yaml = yaml;
        this.schema = schema;
    }

    /** The documents base-most first (empty when the leaf itself could not be read) and the problems. */
    record Chain(List<SourceDoc> baseFirst, List<Problem> problems) {
        boolean complete() {
            return problems.stream().noneMatch(p -> p.kind() == Problem.Kind.YAML && p.isError())
                    && !baseFirst.isEmpty();
        }
    }

    Chain read(Path file, String display) {
        List<SourceDoc> leafFirst = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        Path path = file;
        String name = display;
        boolean broken = false;
        while (path != null) {
            seen.add(real(path));
            Parsed pf = parse(path, name);
            problems.addAll(pf.result().problems());
            if (pf.result().doc() == null) {
                broken = true;
                break;
            }
            SourceDoc doc = pf.result().doc();
            leafFirst.add(doc);
            List<Problem> schemaProblems = pf.schemaProblems();
            problems.addAll(schemaProblems);
            JsonNode ext = doc.root().get("extends");
            NodePath at = NodePath.of("extends");
            if (ext == null || !ext.isString()) {
                break;
            }
            if (schemaProblems.stream().anyMatch(p -> p.path().equals(at))) {
                broken = true; // the schema already explained why this is no base plan
                break;
            }
            SourcePos pos = doc.at(at).value();
            Path next = (path.getParent() == null ? Path.of(".") : path.getParent()).resolve(ext.asString()).normalize();
            String nextName = displayOf(name, ext.asString());
            if (seen.contains(real(next))) {
                List<String> names = new ArrayList<>(leafFirst.stream().map(SourceDoc::display).toList());
                names.add(nextName);
                problems.add(Problem.error(Problem.Kind.SEMANTIC, pos, at,
                        "extends cycle: " + String.join(" -> ", names)));
                broken = true;
                break;
            }
            if (!Files.isRegularFile(next)) {
                problems.add(Problem.error(Problem.Kind.SEMANTIC, pos, at,
                        "base plan not found: " + nextName + " (paths are relative to " + parentOf(name) + ")"));
                broken = true;
                break;
            }
            if (leafFirst.size() >= MAX_DEPTH) {
                problems.add(Problem.error(Problem.Kind.SEMANTIC, pos, at,
                        "extends chain deeper than " + MAX_DEPTH + " plans: "
                                + leafFirst.stream().map(SourceDoc::display).collect(Collectors.joining(" -> "))));
                broken = true;
                break;
            }
            path = next;
            name = nextName;
        }
        List<SourceDoc> baseFirst = new ArrayList<>(leafFirst);
        Collections.reverse(baseFirst);
        return new Chain(broken ? List.of() : baseFirst, problems);
    }

    private Parsed parse(Path path, String name) {
        return parsed.computeIfAbsent(real(path) + "\n" + name, k -> {
            YamlReader.Result r = yaml.read(path, name);
            List<Problem> schemaProblems = r.doc() == null ? List.of()
                    : schema.check(r.doc().root(), NodePath.ROOT, r.doc()::at);
            return new Parsed(r, schemaProblems);
        });
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** The base's name as messages show it: relative to the referring file's folder, normalized, with '/'. */
    static String displayOf(String referrer, String relative) {
        Path parent = Path.of(referrer).getParent();
        Path p = (parent == null ? Path.of(relative) : parent.resolve(relative)).normalize();
        return p.toString().replace('\\', '/');
    }

    private static String parentOf(String display) {
        Path parent = Path.of(display).getParent();
        return parent == null ? "." : parent.toString().replace('\\', '/');
    }
}

package dev.dr.steps.k8s;

import dev.dr.step.StepFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Checks a folder of manifests as YAML documents, each an object with its {@code apiVersion},
 * {@code kind} and {@code metadata.name}, without the Kubernetes client's model: reading them
 * into fabric8's classes costs a cold JVM about a second, which a restore pays only when it
 * applies them ({@link Manifests#load}). The YAML is read by snakeyaml-engine, the parser under
 * the Jackson YAML reader the plans use, so nodes keep their line and column for the error.
 */
public final class ManifestCheck {
    /** A manifest file larger than this is refused: manifests are small, reviewed files. */
    static final int MAX_CODE_POINTS = 4 << 20;

    private ManifestCheck() {}

    /**
     * One object of a manifest file.
     *
     * @param file     the file name, relative to the folder checked
     * @param document 1-based, in the file; an object of a {@code kind: List} counts as its list's document
     * @param line     1-based line of the object's start
     */
    public record Document(String file, int document, int line, String apiVersion, String kind, String name) {}

    /**
     * The objects of the .yaml/.yml files of {@code dir}, in file name order and document order.
     * Empty documents are skipped, as {@code kubectl apply} skips them.
     *
     * @param label names the source in errors, e.g. {@code backup.restore manifests.tar.zst}
     * @throws StepFailure permanent, naming the file, line, document and field, and what was
     *                     expected, at the first document that is not a Kubernetes object
     */
    public static List<Document> check(Path dir, String label) throws StepFailure {
        if (!Files.isDirectory(dir)) {
            throw StepFailure.permanent(label + ": no folder " + dir);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(ManifestCheck::isManifest).sorted().toList();
        } catch (IOException e) {
            throw StepFailure.permanent(label + ": cannot read " + dir + ": " + e.getMessage());
        }
        List<Document> out = new ArrayList<>();
        for (Path f : files) {
            String name = dir.relativize(f).toString();
            String text;
            try {
                text = Files.readString(f, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw StepFailure.permanent(label + ": cannot read " + name + " (expected a UTF-8 YAML file): " + e.getMessage());
            }
            out.addAll(new FileCheck(label, name).documents(text));
        }
        return out;
    }

    static boolean isManifest(Path p) {
        String s = p.getFileName().toString();
        return s.endsWith(".yaml") || s.endsWith(".yml");
    }

    /** The documents of one file; {@code label} and {@code file} name it in errors. */
    private record FileCheck(String label, String file) {

        List<Document> documents(String text) throws StepFailure {
            LoadSettings settings = LoadSettings.builder().setLabel(file).setCodePointLimit(MAX_CODE_POINTS).build();
            List<Document> out = new ArrayList<>();
            int n = 0;
            try {
                for (Node doc : new Compose(settings).composeAllFromString(text)) {
                    n++;
                    if (!isNull(doc)) {
                        object(doc, n, "", out);
                    }
                }
            } catch (MarkedYamlEngineException e) {
                Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
                String where = m == null ? file : file + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
                String context = firstLine(e.getContext());
                String problem = firstLine(e.getProblem());
                throw StepFailure.permanent(label + ": " + where + ": document " + (n + 1) + " is not valid YAML ("
                        + (context.isEmpty() ? problem : context + ": " + problem) + "); expected Kubernetes objects in YAML");
            } catch (YamlEngineException e) {
                throw StepFailure.permanent(label + ": " + file + ": not valid YAML (" + firstLine(e.getMessage())
                        + "); expected Kubernetes objects in YAML");
            }
            return out;
        }

        /** One object, or a {@code kind: List} of them; {@code at} is its path within the document ("" or "items[2]"). */
        private void object(Node node, int doc, String at, List<Document> out) throws StepFailure {
            if (!(node instanceof MappingNode map)) {
                throw problem(node, doc, at.isEmpty() ? "the document" : at, "is a " + describe(node),
                        "a mapping with apiVersion, kind and metadata: a Kubernetes object");
            }
            Map<String, Node> fields = fields(map, doc, at);
            String apiVersion = string(fields, map, doc, at, "apiVersion", "the object's API group and version, e.g. v1 or apps/v1");
            String kind = string(fields, map, doc, at, "kind", "the object's kind, e.g. ConfigMap");
            if (kind.equals("List") && fields.containsKey("items")) {
                Node items = fields.get("items");
                if (!(items instanceof SequenceNode seq)) {
                    throw problem(items, doc, path(at, "items"), "is a " + describe(items), "a sequence of Kubernetes objects");
                }
                for (int i = 0; i < seq.getValue().size(); i++) {
                    object(seq.getValue().get(i), doc, path(at, "items") + "[" + i + "]", out);
                }
                return;
            }
            Node metadata = fields.get("metadata");
            if (metadata == null) {
                throw problem(map, doc, path(at, "metadata"), "is missing", "a mapping with the object's name");
            }
            if (!(metadata instanceof MappingNode meta)) {
                throw problem(metadata, doc, path(at, "metadata"), "is a " + describe(metadata), "a mapping with the object's name");
            }
            String name = string(fields(meta, doc, path(at, "metadata")), meta, doc, path(at, "metadata"), "name",
                    "the object's name, a non-empty string");
            out.add(new Document(file, doc, line(map), apiVersion, kind, name));
        }

        /** The keys of a mapping, each once: a key given twice is refused rather than one of them dropped. */
        private Map<String, Node> fields(MappingNode map, int doc, String at) throws StepFailure {
            Map<String, Node> fields = new HashMap<>();
            Map<String, Node> keys = new HashMap<>();
            for (NodeTuple t : map.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    Node first = keys.putIfAbsent(k.getValue(), k);
                    if (first != null) {
                        throw problem(k, doc, path(at, k.getValue()), "is given twice (first on line " + line(first) + ")",
                                "each key once");
                    }
                    fields.put(k.getValue(), t.getValueNode());
                }
            }
            return fields;
        }

        private String string(Map<String, Node> fields, MappingNode parent, int doc, String at, String key, String expected)
                throws StepFailure {
            Node v = fields.get(key);
            if (v == null) {
                throw problem(parent, doc, path(at, key), "is missing", expected);
            }
            if (!(v instanceof ScalarNode s) || !s.getTag().equals(Tag.STR) || s.getValue().isBlank()) {
                throw problem(v, doc, path(at, key), v instanceof ScalarNode s && s.getTag().equals(Tag.STR)
                        ? "is empty" : "is a " + describe(v), expected);
            }
            return s.getValue();
        }

        private StepFailure problem(Node node, int doc, String field, String what, String expected) {
            Optional<Mark> m = node.getStartMark();
            String where = m.map(x -> file + ":" + (x.getLine() + 1) + ":" + (x.getColumn() + 1)).orElse(file);
            return StepFailure.permanent(label + ": " + where + ": document " + doc + ": " + field + " " + what
                    + "; expected " + expected);
        }
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "mapping";
        }
        if (n instanceof SequenceNode) {
            return "sequence";
        }
        if (isNull(n)) {
            return "null";
        }
        String tag = n.getTag().getValue().replace(Tag.PREFIX, "");
        return tag + " (" + ((ScalarNode) n).getValue() + ")";
    }

    private static String path(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    private static int line(Node n) {
        return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }
}

package dev.dr.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Kubernetes API's OpenAPI v3 documents for the kinds the sandbox serves (Discovery's list),
 * as kubectl reads them: the index at /openapi/v3 and one document per group/version. Their
 * schemas are the real ones, the kube-openapi definitions of the k8s.io/api types, vendored in
 * {@value #RESOURCE} (trimmed to these kinds and what they reference; KubernetesDefinitionsTest
 * checks them against their source on Maven Central). kubectl decides from the PATCH operations'
 * fieldValidation parameter that the server validates fields, which OpenApiDispatcher does.
 */
final class KubeOpenApi {
    static final String RESOURCE = "dr/sandbox/kubernetes-definitions.json";
    static final String INDEX = "/openapi/v3";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String V2_REF = "#/definitions/";
    private static final String V3_REF = "#/components/schemas/";

    private final Map<String, JsonNode> definitions;
    private final Map<String, String> documents = new TreeMap<>();

    private KubeOpenApi(Map<String, JsonNode> definitions) {
        this.definitions = definitions;
        ObjectNode paths = NODES.objectNode();
        new TreeMap<>(Discovery.GROUPS).forEach((gv, kinds) -> {
            String doc = JSON.writeValueAsString(document(gv, kinds));
            String path = prefix(gv).substring(1);
            documents.put(INDEX + "/" + path, doc);
            paths.putObject(path).put("serverRelativeURL", INDEX + "/" + path + "?hash=" + sha256(doc));
        });
        ObjectNode index = NODES.objectNode();
        index.set("paths", paths);
        documents.put(INDEX, JSON.writeValueAsString(index));
    }

    /** The documents built from the vendored definitions. */
    static KubeOpenApi load() {
        try (InputStream in = KubeOpenApi.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the class path");
            }
            Map<String, JsonNode> defs = new TreeMap<>();
            JSON.readTree(in).get("definitions").properties().forEach(e -> defs.put(e.getKey(), e.getValue()));
            return new KubeOpenApi(defs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document served at a path (its query left off), or null. */
    String document(String path) {
        return documents.get(path);
    }

    /** The definition of a kind, e.g. io.k8s.api.batch.v1.Job for batch/v1 Job. */
    static String definitionName(String groupVersion, String kind) {
        String group = groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "core";
        return "io.k8s.api." + group + "." + version(groupVersion) + "." + kind;
    }

    /** The schema of a kind, or null when the sandbox does not serve it. */
    JsonNode schema(String groupVersion, String kind) {
        return definitions.get(definitionName(groupVersion, kind));
    }

    /** A schema with its reference followed ($ref, or an allOf of one $ref), as a validator reads it. */
    JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int depth = 0; depth < 8; depth++) {
            if (s.has("$ref")) {
                s = definitions.get(s.get("$ref").asString().substring(V2_REF.length()));
            } else if (s.has("allOf") && s.get("allOf").size() == 1) {
                s = s.get("allOf").get(0);
            } else {
                return s;
            }
        }
        throw new IllegalStateException("a $ref chain longer than 8 in " + RESOURCE);
    }

    /** The names of the roots and every definition they reference, transitively. */
    static Set<String> closure(Map<String, JsonNode> definitions, Collection<String> roots) {
        Set<String> seen = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            JsonNode def = definitions.get(name);
            if (def == null) {
                throw new IllegalArgumentException("no definition " + name);
            }
            if (seen.add(name)) {
                def.findValues("$ref").forEach(r -> todo.push(r.asString().substring(V2_REF.length())));
            }
        }
        return seen;
    }

    /** The roots: the definitions of the kinds the sandbox serves. */
    static List<String> roots() {
        return Discovery.GROUPS.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(k -> definitionName(e.getKey(), k.kind()))).sorted().toList();
    }

    private ObjectNode document(String gv, List<Discovery.Kind> kinds) {
        ObjectNode doc = NODES.objectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.32.0-dr-sandbox");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        for (Discovery.Kind k : kinds) {
            String ref = V3_REF + definitionName(gv, k.kind());
            String collection = prefix(gv) + (k.namespaced() ? "/namespaces/{namespace}/" : "/") + k.name();
            ObjectNode item = paths.putObject(collection + "/{name}");
            item.set("get", operation(gv, k, "read", ref, false));
            item.set("put", operation(gv, k, "replace", ref, true));
            item.set("patch", operation(gv, k, "patch", ref, true));
            item.set("delete", operation(gv, k, "delete", ref, false));
            ObjectNode list = paths.putObject(collection);
            list.set("post", operation(gv, k, "create", ref, true));
        }
        List<String> roots = kinds.stream().map(k -> definitionName(gv, k.kind())).toList();
        for (String name : closure(definitions, roots)) {
            ObjectNode def = (ObjectNode) definitions.get(name).deepCopy();
            rewriteRefs(def);
            def.remove("x-fabric8-info");
            kinds.stream().filter(k -> definitionName(gv, k.kind()).equals(name)).findFirst().ifPresent(k ->
                    def.putArray("x-kubernetes-group-version-kind").addObject()
                            .put("group", group(gv)).put("kind", k.kind()).put("version", version(gv)));
            schemas.set(name, def);
        }
        return doc;
    }

    /** An operation as the API server describes it; writes take dryRun and fieldValidation. */
    private static ObjectNode operation(String gv, Discovery.Kind k, String verb, String ref, boolean write) {
        ObjectNode op = NODES.objectNode().put("operationId", verb + k.kind());
        op.putObject("x-kubernetes-group-version-kind").put("group", group(gv)).put("kind", k.kind()).put("version", version(gv));
        op.put("x-kubernetes-action", switch (verb) {
            case "read" -> "get";
            case "replace" -> "put";
            case "create" -> "post";
            default -> verb;
        });
        ArrayNode params = op.putArray("parameters");
        if (write) {
            for (String p : List.of("dryRun", "fieldManager", "fieldValidation")) {
                params.addObject().put("name", p).put("in", "query").putObject("schema").put("type", "string").put("uniqueItems", true);
            }
        }
        op.putObject("responses").putObject("200").put("description", "OK").putObject("content")
                .putObject("application/json").putObject("schema").put("$ref", ref);
        return op;
    }

    private static void rewriteRefs(JsonNode node) {
        if (node instanceof ObjectNode o) {
            JsonNode ref = o.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith(V2_REF)) {
                o.put("$ref", V3_REF + ref.asString().substring(V2_REF.length()));
            }
        }
        node.values().forEach(KubeOpenApi::rewriteRefs);
    }

    static String prefix(String gv) {
        return gv.contains("/") ? "/apis/" + gv : "/api/" + gv;
    }

    private static String group(String gv) {
        return gv.contains("/") ? gv.substring(0, gv.indexOf('/')) : "";
    }

    private static String version(String gv) {
        return gv.substring(gv.indexOf('/') + 1);
    }

    private static String sha256(String doc) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(doc.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.dr.sandbox;

import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudPersistence;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a real API server does with its OpenAPI schemas, in front of the mock's CRUD store, so
 * that kubectl works against the sandbox at its defaults: it serves the OpenAPI v3 documents
 * (KubeOpenApi); it validates the fields of what is created, replaced or patched as the
 * fieldValidation parameter asks (Strict, which kubectl sends, refuses unknown fields; Warn, the
 * default, drops them with a Warning header; Ignore drops them); it applies strategic merge
 * patches (kubectl apply's) and JSON merge patches itself; and it answers dryRun=All requests
 * (kubectl diff's) without storing anything. /openapi/v2 is not served: kubectl would read it as
 * protobuf, and reads v3 first.
 */
final class OpenApiDispatcher extends Dispatcher {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Dispatcher next;
    private final KubernetesCrudPersistence store;
    private final KubeOpenApi api;
    private final StrategicMerge strategic;

    /** {@code next} answers everything else; {@code store} is the CRUD store it ends in. */
    OpenApiDispatcher(Dispatcher next, KubernetesCrudPersistence store, KubeOpenApi api) {
        this.next = next;
        this.store = store;
        this.api = api;
        this.strategic = new StrategicMerge(api);
    }

    /** The request's object: a kind the sandbox serves, and its namespace, name and subresource. */
    record Target(String groupVersion, Discovery.Kind kind, String namespace, String name, String subresource) {

        static Target of(String path) {
            String[] s = path.substring(1).split("/");
            int i;
            String gv;
            if (s.length > 1 && s[0].equals("api")) {
                gv = s[1];
                i = 2;
            } else if (s.length > 2 && s[0].equals("apis")) {
                gv = s[1] + "/" + s[2];
                i = 3;
            } else {
                return null;
            }
            String ns = null;
            if (s.length > i + 2 && s[i].equals("namespaces")) {
                ns = s[i + 1];
                i += 2;
            }
            if (s.length <= i || !Discovery.GROUPS.containsKey(gv)) {
                return null;
            }
            String resource = s[i];
            Discovery.Kind kind = Discovery.GROUPS.get(gv).stream().filter(k -> k.name().equals(resource)).findFirst().orElse(null);
            return kind == null ? null : new Target(gv, kind, ns, s.length > i + 1 ? s[i + 1] : null, s.length > i + 2 ? s[i + 2] : null);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest r) {
        String full = r.getPath();
        int q = full.indexOf('?');
        String path = q < 0 ? full : full.substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : full.substring(q + 1));
        String method = r.getMethod();
        if ("GET".equals(method) && (path.equals(KubeOpenApi.INDEX) || path.startsWith(KubeOpenApi.INDEX + "/"))) {
            String doc = api.document(path);
            return doc == null ? status(404, "NotFound", "the server could not find the requested resource") : json(200, doc);
        }
        if ("GET".equals(method) && path.equals("/openapi/v2")) {
            return status(404, "NotFound", "the sandbox serves its OpenAPI documents at /openapi/v3 only");
        }
        if (String.valueOf(r.getHeader("Content-Type")).contains("protobuf")) {
            // the mock cannot read protobuf (kubectl create sends it) and left such a request
            // unanswered; a clear refusal beats a client that waits forever
            return status(415, "UnsupportedMediaType", "the sandbox takes JSON only");
        }
        Target t = Target.of(path);
        if (t == null || t.subresource() != null || !List.of("POST", "PUT", "PATCH", "DELETE").contains(method)) {
            return next.dispatch(r);
        }
        boolean dryRun = "All".equals(query.get("dryRun"));
        if ("DELETE".equals(method)) {
            return dryRun ? current(path, t) : next.dispatch(r);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.getBody().getBytes());
        } catch (JacksonException e) {
            return next.dispatch(r);
        }
        String type = String.valueOf(r.getHeader("Content-Type"));
        boolean patch = "PATCH".equals(method);
        if (patch && !type.contains("strategic-merge-patch") && !type.contains("merge-patch")) {
            // JSON patches (and server-side apply, which the mock lacks) go to the mock as they are
            return dryRun ? status(415, "UnsupportedMediaType", "the sandbox dry-runs strategic and JSON merge patches only")
                    : next.dispatch(r);
        }
        return write(r, t, path, method, body, type, query.getOrDefault("fieldValidation", "Warn"), dryRun);
    }

    private MockResponse write(RecordedRequest r, Target t, String path, String method, JsonNode body, String type,
                               String validation, boolean dryRun) {
        JsonNode schema = api.schema(t.groupVersion(), t.kind().kind());
        boolean strict = "Strict".equals(validation);
        List<String> unknown = UnknownFields.find(api, schema, body, "PATCH".equals(method), !strict);
        if (strict && !unknown.isEmpty()) {
            String version = t.groupVersion().substring(t.groupVersion().indexOf('/') + 1);
            return status(400, "BadRequest", t.kind().kind() + " in version \"" + version + "\" cannot be handled as a "
                    + t.kind().kind() + ": strict decoding error: " + unknownFields(unknown));
        }
        MockResponse response;
        if ("PATCH".equals(method)) {
            JsonNode current = find(path);
            if (current == null) {
                return notFound(t);
            }
            JsonNode result = type.contains("strategic-merge-patch") ? strategic.apply(schema, current, body)
                    : StrategicMerge.mergePatch(current, body);
            response = dryRun ? json(200, JSON.writeValueAsString(result)) : forward(r, HttpMethod.PUT, result);
        } else if (dryRun) {
            response = dryRunWrite(t, path, method, body);
        } else {
            response = unknown.isEmpty() ? next.dispatch(r) : forward(r, HttpMethod.valueOf(method), body);
        }
        if ("Warn".equals(validation)) {
            unknown.forEach(f -> response.addHeader("Warning", "299 - \"unknown field \\\"" + f + "\\\"\""));
        }
        return response;
    }

    /** A create or replace that is checked but not stored, answered as the API server answers it. */
    private MockResponse dryRunWrite(Target t, String path, String method, JsonNode body) {
        ObjectNode object = (ObjectNode) body.deepCopy();
        if (t.namespace() != null && t.kind().namespaced()) {
            object.withObject("metadata").put("namespace", t.namespace());
        }
        // what the store would keep, its defaults filled in (kubectl diff shows them for a new object)
        Defaults.apply(object);
        if ("POST".equals(method)) {
            String name = object.path("metadata").path("name").asString("");
            if (!name.isEmpty() && find(path + "/" + name) != null) {
                return status(409, "AlreadyExists", t.kind().name() + " \"" + name + "\" already exists");
            }
            return json(201, JSON.writeValueAsString(object));
        }
        return find(path) == null ? notFound(t) : json(200, JSON.writeValueAsString(object));
    }

    private MockResponse current(String path, Target t) {
        JsonNode current = find(path);
        return current == null ? notFound(t) : json(200, JSON.writeValueAsString(current));
    }

    /** The request with another method and body, to the next dispatcher. */
    private MockResponse forward(RecordedRequest r, HttpMethod method, JsonNode body) {
        byte[] bytes = JSON.writeValueAsBytes(body);
        return next.dispatch(new RecordedRequest(r.getHttpVersion(), method, r.getPath(), r.getHeaders().newBuilder()
                .set("Content-Type", "application/json").set("Content-Length", Integer.toString(bytes.length)).build(),
                new Buffer(bytes)));
    }

    private JsonNode find(String path) {
        AttributeSet key = store.getKey(path);
        Map.Entry<AttributeSet, String> found = store.findResource(key);
        return found == null ? null : JSON.readTree(found.getValue());
    }

    private static MockResponse notFound(Target t) {
        return status(404, "NotFound", t.kind().name() + " \"" + t.name() + "\" not found");
    }

    private static String unknownFields(List<String> fields) {
        return fields.stream().map(f -> "unknown field \"" + f + "\"").collect(Collectors.joining(", "));
    }

    private static MockResponse json(int code, String body) {
        return new MockResponse().setResponseCode(code).addHeader("Content-Type", "application/json").setBody(body);
    }

    private static MockResponse status(int code, String reason, String message) {
        ObjectNode s = JsonNodeFactory.instance.objectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return json(code, JSON.writeValueAsString(s));
    }

    private static Map<String, String> query(String q) {
        Map<String, String> params = new HashMap<>();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    @Override
    public void shutdown() {
        next.shutdown();
    }
}

package dev.dr.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's CRUD mock API server, defaulting as a real API server does: every object it stores,
 * by create, replace or patch, first gets the defaults of its kind ({@link Defaults}), and the
 * answer to the write is the stored object, defaults included. A Service also gets what the
 * registry allocates: a cluster IP (kept across updates that omit it, as a real server keeps
 * it) and node ports for the types that have them; a new Job, its pod labels and selector. Without this the mock hands back exactly
 * what it was sent, and a client that compares or replaces whole objects cannot be caught.
 */
public class DefaultingDispatcher extends KubernetesCrudDispatcher {
    private final JsonMapper json = JsonMapper.builder().build();
    /** The object stored by the write this thread is handling, for the write's answer. */
    private final ThreadLocal<String> stored = new ThreadLocal<>();
    private final Set<String> clusterIps = new HashSet<>();
    private final Set<Integer> nodePorts = new HashSet<>();

    @Override
    public void processEvent(String path, AttributeSet pathKey, AttributeSet oldKey, GenericKubernetesResource resource, String value) {
        String defaulted = value == null ? null : defaulted(value, oldKey == null ? null : getMap().get(oldKey));
        stored.set(defaulted);
        super.processEvent(path, pathKey, oldKey, resource, defaulted);
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        return answer(request, super::handleCreate);
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        return answer(request, super::handleUpdate);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        return answer(request, super::handlePatch);
    }

    private MockResponse answer(RecordedRequest request, Function<RecordedRequest, MockResponse> write) {
        stored.remove();
        try {
            MockResponse r = write.apply(request);
            String body = stored.get();
            if (body != null && r.code() >= 200 && r.code() < 300) {
                r.setBody(body);
            }
            return r;
        } finally {
            stored.remove();
        }
    }

    /** {@code value} with its kind's defaults; {@code previous} is the stored version it replaces, if any. */
    String defaulted(String value, String previous) {
        JsonNode node = json.readTree(value);
        if (!(node instanceof ObjectNode o)) {
            return value;
        }
        Defaults.apply(o);
        String kind = o.path("kind").asString("");
        if (kind.equals("Service")) {
            allocate(o.withObjectProperty("spec"), previous == null ? null : json.readTree(previous).path("spec"));
        } else if (kind.equals("Job") && previous == null) {
            selector(o);
        }
        return json.writeValueAsString(o);
    }

    /**
     * What the Job registry adds to a new Job unless it asks for a manual selector: labels that
     * tie its pods to it, in the pod template, and a selector on its uid.
     */
    private static void selector(ObjectNode job) {
        ObjectNode spec = job.withObjectProperty("spec");
        if (spec.path("manualSelector").asBoolean(false)) {
            return;
        }
        String uid = job.path("metadata").path("uid").asString("");
        String name = job.path("metadata").path("name").asString("");
        ObjectNode labels = spec.withObjectProperty("template").withObjectProperty("metadata").withObjectProperty("labels");
        labels.put("batch.kubernetes.io/controller-uid", uid).put("batch.kubernetes.io/job-name", name)
                .put("controller-uid", uid).put("job-name", name);
        if (!spec.has("selector")) {
            spec.withObjectProperty("selector").withObjectProperty("matchLabels").put("batch.kubernetes.io/controller-uid", uid);
        }
    }

    /** Cluster IP and node ports, as the Service registry assigns them; an update that omits them keeps the old ones. */
    private synchronized void allocate(ObjectNode spec, JsonNode old) {
        String type = spec.path("type").asString("ClusterIP");
        if (type.equals("ExternalName")) {
            return;
        }
        if (spec.path("clusterIP").asString("").isEmpty()) {
            String ip = old == null ? "" : old.path("clusterIP").asString("");
            spec.put("clusterIP", ip.isEmpty() ? nextClusterIp() : ip);
        }
        String ip = spec.path("clusterIP").asString();
        clusterIps.add(ip);
        if (spec.path("clusterIPs").isEmpty()) {
            spec.withArrayProperty("clusterIPs").add(ip);
        }
        if (!ip.equals("None") && spec.path("ipFamilies").isEmpty()) {
            spec.withArrayProperty("ipFamilies").add("IPv4");
        }
        if (spec.path("ipFamilyPolicy").isMissingNode()) {
            spec.put("ipFamilyPolicy", "SingleStack");
        }
        boolean withNodePorts = type.equals("NodePort")
                || (type.equals("LoadBalancer") && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
        if (withNodePorts) {
            for (JsonNode p : spec.path("ports")) {
                if (p.path("nodePort").asInt(0) == 0) {
                    ((ObjectNode) p).put("nodePort", oldNodePort(old, p.path("port").asInt()));
                } else {
                    nodePorts.add(p.path("nodePort").asInt());
                }
            }
        }
    }

    private int oldNodePort(JsonNode old, int port) {
        if (old != null) {
            for (JsonNode p : old.path("ports")) {
                if (p.path("port").asInt() == port && p.path("nodePort").asInt(0) != 0) {
                    return p.path("nodePort").asInt();
                }
            }
        }
        for (int n = 30000; n <= 32767; n++) {
            if (nodePorts.add(n)) {
                return n;
            }
        }
        throw new IllegalStateException("no node port left in 30000-32767");
    }

    /** The next free address of the default service range, 10.96.0.0/12 (10.96.0.1 is the API server's). */
    private String nextClusterIp() {
        for (int i = 10; i < (1 << 20); i++) {
            String ip = "10." + (96 + (i >> 16)) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff);
            if (!clusterIps.contains(ip)) {
                return ip;
            }
        }
        throw new IllegalStateException("the service range 10.96.0.0/12 is full");
    }
}

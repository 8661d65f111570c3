package dev.dr.sandbox;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The API discovery documents kubectl reads before anything else (/api, /api/v1, /apis and
 * each group), which the mock API server does not serve by itself: with them an operator can
 * inspect the sandbox as any cluster, e.g. {@code kubectl get configmaps,cronjobs,jobs -n jobintel}.
 */
final class Discovery {
    private Discovery() {}

    /** name, singular, kind, namespaced, short names: the kinds the sandbox drill touches. */
    record Kind(String name, String singular, String kind, boolean namespaced, List<String> shortNames) {}

    /** By group/version ("v1" for the core group); OpenApiDispatcher serves their schemas. */
    static final Map<String, List<Kind>> GROUPS = Map.of(
            "v1", List.of(
                    new Kind("namespaces", "namespace", "Namespace", false, List.of("ns")),
                    new Kind("configmaps", "configmap", "ConfigMap", true, List.of("cm")),
                    new Kind("pods", "pod", "Pod", true, List.of("po")),
                    new Kind("secrets", "secret", "Secret", true, List.of()),
                    new Kind("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa")),
                    new Kind("services", "service", "Service", true, List.of("svc")),
                    new Kind("events", "event", "Event", true, List.of("ev"))),
            "batch/v1", List.of(
                    new Kind("jobs", "job", "Job", true, List.of()),
                    new Kind("cronjobs", "cronjob", "CronJob", true, List.of("cj"))),
            "apps/v1", List.of(
                    new Kind("deployments", "deployment", "Deployment", true, List.of("deploy")),
                    new Kind("statefulsets", "statefulset", "StatefulSet", true, List.of("sts"))));

    /** The documents by path (kubectl adds a query, e.g. ?timeout=32s, which does not matter). */
    static Map<String, String> documents() {
        Map<String, String> docs = new java.util.TreeMap<>();
        docs.put("/version", "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-dr-sandbox\",\"platform\":\"linux/amd64\"}");
        docs.put("/api", "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}");
        String groups = GROUPS.keySet().stream().filter(gv -> gv.contains("/")).sorted().map(gv -> {
            String name = gv.substring(0, gv.indexOf('/'));
            String ver = "{\"groupVersion\":\"" + gv + "\",\"version\":\"v1\"}";
            return "{\"name\":\"" + name + "\",\"versions\":[" + ver + "],\"preferredVersion\":" + ver + "}";
        }).collect(Collectors.joining(","));
        docs.put("/apis", "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}");
        GROUPS.forEach((gv, kinds) -> docs.put(gv.equals("v1") ? "/api/v1" : "/apis/" + gv, resourceList(gv, kinds)));
        return docs;
    }

    /** Answers discovery requests and hands every other request to the CRUD store. */
    static final class Dispatcher extends io.fabric8.mockwebserver.http.Dispatcher {
        private final Map<String, String> docs = documents();
        private final io.fabric8.mockwebserver.http.Dispatcher crud;

        Dispatcher(io.fabric8.mockwebserver.http.Dispatcher crud) {
            this.crud = crud;
        }

        @Override
        public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest r) {
            String path = r.getPath();
            int q = path.indexOf('?');
            String doc = "GET".equals(r.getMethod()) ? docs.get(q < 0 ? path : path.substring(0, q)) : null;
            if (doc != null) {
                return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(200)
                        .addHeader("Content-Type", "application/json").setBody(doc);
            }
            return crud.dispatch(r);
        }

        @Override
        public void shutdown() {
            crud.shutdown();
        }
    }

    private static String resourceList(String groupVersion, List<Kind> kinds) {
        String verbs = "[\"create\",\"delete\",\"deletecollection\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]";
        String resources = kinds.stream().map(k -> "{\"name\":\"" + k.name() + "\",\"singularName\":\"" + k.singular()
                + "\",\"namespaced\":" + k.namespaced() + ",\"kind\":\"" + k.kind() + "\",\"verbs\":" + verbs
                + (k.shortNames().isEmpty() ? "" : ",\"shortNames\":[\"" + String.join("\",\"", k.shortNames()) + "\"]") + "}")
                .collect(Collectors.joining(","));
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + resources + "]}";
    }
}

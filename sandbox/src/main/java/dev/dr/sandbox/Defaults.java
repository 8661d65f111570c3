package dev.dr.sandbox;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The defaults a Kubernetes API server (1.32) writes into an object it stores, for the kinds the
 * sandbox serves: what its defaulting functions do (SetDefaults_PodSpec, SetDefaults_Container,
 * SetDefaults_Pod, SetDefaults_Service, SetDefaults_Job, SetDefaults_CronJob,
 * SetDefaults_Deployment, SetDefaults_StatefulSet and the declarative defaults beside them), so
 * that a client which compares or replaces whole objects fails here as it would on a cluster.
 * A value the object already has is never changed. What the registry allocates (a Service's
 * cluster IP) is {@link DefaultingDispatcher}'s; admission plugins (a Pod's service account,
 * tolerations) are not played.
 */
final class Defaults {
    private Defaults() {}

    /** Fills in the defaults of {@code o}'s kind, in place; other kinds are left as they are. */
    static void apply(ObjectNode o) {
        String kind = o.path("kind").asString("");
        switch (kind) {
            case "Pod" -> pod(spec(o));
            case "Deployment" -> deployment(spec(o));
            case "StatefulSet" -> statefulSet(spec(o));
            case "Job" -> job(o);
            case "CronJob" -> cronJob(spec(o));
            case "Service" -> service(spec(o));
            case "Secret" -> putIfAbsent(o, "type", "Opaque");
            case "Namespace" -> namespace(o);
            default -> { }
        }
    }

    private static ObjectNode spec(ObjectNode o) {
        return o.withObjectProperty("spec");
    }

    static void pod(ObjectNode spec) {
        podSpec(spec);
        // SetDefaults_Pod: only a Pod, not a pod template, gets these.
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : spec.path(list)) {
                JsonNode limits = c.path("resources").path("limits");
                if (limits.isObject() && c instanceof ObjectNode co) {
                    ObjectNode requests = co.withObjectProperty("resources").withObjectProperty("requests");
                    limits.properties().forEach(e -> {
                        if (!requests.has(e.getKey())) {
                            requests.set(e.getKey(), e.getValue().deepCopy());
                        }
                    });
                }
                if (spec.path("hostNetwork").asBoolean(false)) {
                    for (JsonNode p : c.path("ports")) {
                        if (p instanceof ObjectNode po && po.path("hostPort").asInt(0) == 0) {
                            po.put("hostPort", po.path("containerPort").asInt());
                        }
                    }
                }
            }
        }
        putIfAbsent(spec, "enableServiceLinks", true);
    }

    static void podTemplate(ObjectNode template) {
        podSpec(template.withObjectProperty("spec"));
    }

    static void podSpec(ObjectNode spec) {
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "restartPolicy", "Always");
        spec.withObjectProperty("securityContext");
        putIfAbsent(spec, "terminationGracePeriodSeconds", 30);
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        for (String list : new String[] {"containers", "initContainers", "ephemeralContainers"}) {
            spec.path(list).forEach(c -> container((ObjectNode) c));
        }
        for (JsonNode v : spec.path("volumes")) {
            volume((ObjectNode) v);
        }
    }

    static void container(ObjectNode c) {
        putIfAbsent(c, "imagePullPolicy", pullPolicy(c.path("image").asString("")));
        putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
        putIfAbsent(c, "terminationMessagePolicy", "File");
        for (JsonNode p : c.path("ports")) {
            putIfAbsent((ObjectNode) p, "protocol", "TCP");
        }
        for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
            if (c.get(probe) instanceof ObjectNode p) {
                putIfAbsent(p, "timeoutSeconds", 1);
                putIfAbsent(p, "periodSeconds", 10);
                putIfAbsent(p, "successThreshold", 1);
                putIfAbsent(p, "failureThreshold", 3);
                if (p.get("httpGet") instanceof ObjectNode h) {
                    putIfAbsent(h, "path", "/");
                    putIfAbsent(h, "scheme", "HTTP");
                }
            }
        }
        for (JsonNode e : c.path("env")) {
            if (e.path("valueFrom").get("fieldRef") instanceof ObjectNode f) {
                putIfAbsent(f, "apiVersion", "v1");
            }
        }
    }

    /** Always for :latest or no tag at all (which means latest), else IfNotPresent; a digest alone is not latest. */
    static String pullPolicy(String image) {
        int at = image.indexOf('@');
        String name = at < 0 ? image : image.substring(0, at);
        int colon = name.lastIndexOf(':');
        String tag = colon > name.lastIndexOf('/') ? name.substring(colon + 1) : "";
        if (tag.isEmpty() && at < 0) {
            tag = "latest";
        }
        return tag.equals("latest") ? "Always" : "IfNotPresent";
    }

    private static void volume(ObjectNode v) {
        if (v.size() == 1 && v.has("name")) {
            v.set("emptyDir", v.objectNode());
        }
        for (String source : new String[] {"secret", "configMap", "downwardAPI", "projected"}) {
            if (v.get(source) instanceof ObjectNode s) {
                putIfAbsent(s, "defaultMode", 420);
            }
        }
        for (JsonNode s : v.path("projected").path("sources")) {
            if (s.get("serviceAccountToken") instanceof ObjectNode t) {
                putIfAbsent(t, "expirationSeconds", 3600);
            }
        }
        if (v.get("hostPath") instanceof ObjectNode h) {
            putIfAbsent(h, "type", "");
        }
    }

    static void deployment(ObjectNode spec) {
        putIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = spec.withObjectProperty("strategy");
        putIfAbsent(strategy, "type", "RollingUpdate");
        if (strategy.path("type").asString().equals("RollingUpdate")) {
            ObjectNode rolling = strategy.withObjectProperty("rollingUpdate");
            putIfAbsent(rolling, "maxUnavailable", "25%");
            putIfAbsent(rolling, "maxSurge", "25%");
        }
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        putIfAbsent(spec, "progressDeadlineSeconds", 600);
        podTemplate(spec.withObjectProperty("template"));
    }

    static void statefulSet(ObjectNode spec) {
        putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = spec.withObjectProperty("updateStrategy");
        if (!strategy.has("type")) {
            strategy.put("type", "RollingUpdate");
            strategy.withObjectProperty("rollingUpdate");
        }
        if (strategy.path("type").asString().equals("RollingUpdate") && strategy.get("rollingUpdate") instanceof ObjectNode r) {
            putIfAbsent(r, "partition", 0);
        }
        ObjectNode retention = spec.withObjectProperty("persistentVolumeClaimRetentionPolicy");
        putIfAbsent(retention, "whenDeleted", "Retain");
        putIfAbsent(retention, "whenScaled", "Retain");
        putIfAbsent(spec, "replicas", 1);
        putIfAbsent(spec, "revisionHistoryLimit", 10);
        for (JsonNode claim : spec.path("volumeClaimTemplates")) {
            putIfAbsent(((ObjectNode) claim).withObjectProperty("spec"), "volumeMode", "Filesystem");
            putIfAbsent(((ObjectNode) claim).withObjectProperty("status"), "phase", "Pending");
        }
        podTemplate(spec.withObjectProperty("template"));
    }

    static void job(ObjectNode o) {
        ObjectNode spec = spec(o);
        if (!spec.has("completions") && !spec.has("parallelism")) {
            spec.put("completions", 1);
        }
        putIfAbsent(spec, "parallelism", 1);
        putIfAbsent(spec, "backoffLimit", spec.has("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
        if (templateLabels.isObject() && o.withObjectProperty("metadata").path("labels").isEmpty()) {
            o.withObjectProperty("metadata").set("labels", templateLabels.deepCopy());
        }
        putIfAbsent(spec, "completionMode", "NonIndexed");
        putIfAbsent(spec, "suspend", false);
        putIfAbsent(spec, "podReplacementPolicy", spec.has("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        podTemplate(spec.withObjectProperty("template"));
    }

    /** SetDefaults_CronJob; the Job template gets only its pod template's defaults, not the Job's. */
    static void cronJob(ObjectNode spec) {
        putIfAbsent(spec, "concurrencyPolicy", "Allow");
        putIfAbsent(spec, "suspend", false);
        putIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        putIfAbsent(spec, "failedJobsHistoryLimit", 1);
        podTemplate(spec.withObjectProperty("jobTemplate").withObjectProperty("spec").withObjectProperty("template"));
    }

    static void service(ObjectNode spec) {
        putIfAbsent(spec, "sessionAffinity", "None");
        if (spec.path("sessionAffinity").asString().equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (spec.path("sessionAffinity").asString().equals("ClientIP")) {
            putIfAbsent(spec.withObjectProperty("sessionAffinityConfig").withObjectProperty("clientIP"), "timeoutSeconds", 10800);
        }
        putIfAbsent(spec, "type", "ClusterIP");
        String type = spec.path("type").asString();
        for (JsonNode p : spec.path("ports")) {
            ObjectNode port = (ObjectNode) p;
            putIfAbsent(port, "protocol", "TCP");
            JsonNode target = port.path("targetPort");
            if (target.isMissingNode() || target.asString("").isEmpty() || (target.isNumber() && target.asInt() == 0)) {
                port.put("targetPort", port.path("port").asInt());
            }
        }
        boolean external = type.equals("LoadBalancer") || type.equals("NodePort")
                || (type.equals("ClusterIP") && !spec.path("externalIPs").isEmpty());
        if (external) {
            putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("ClusterIP") || type.equals("NodePort") || type.equals("LoadBalancer")) {
            putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            putIfAbsent(spec, "allocateLoadBalancerNodePorts", true);
        }
    }

    private static void namespace(ObjectNode o) {
        String name = o.path("metadata").path("name").asString("");
        if (!name.isEmpty()) {
            o.withObjectProperty("metadata").withObjectProperty("labels").put("kubernetes.io/metadata.name", name);
        }
    }

    /** As Go's defaulting reads it, an empty string is unset. */
    private static void putIfAbsent(ObjectNode o, String field, String value) {
        if (o.path(field).isMissingNode() || o.path(field).isNull() || o.path(field).asString("x").isEmpty()) {
            o.put(field, value);
        }
    }

    private static void putIfAbsent(ObjectNode o, String field, int value) {
        if (o.path(field).isMissingNode() || o.path(field).isNull()) {
            o.put(field, value);
        }
    }

    private static void putIfAbsent(ObjectNode o, String field, boolean value) {
        if (o.path(field).isMissingNode() || o.path(field).isNull()) {
            o.put(field, value);
        }
    }
}

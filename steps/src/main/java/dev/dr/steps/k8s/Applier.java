package dev.dr.steps.k8s;

import dev.dr.json.JsonTrees;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies objects as {@code kubectl apply} does, so that the fields a manifest does not set stay
 * the API server's (its defaults) and other owners' (an autoscaler's replicas, an annotation
 * another tool wrote). Where the server has server-side apply, it is that, with field manager
 * {@value #MANAGER}, conflicts forced: the manifest is what the drill restores. A server without
 * it (it answers the apply request 415, or 404 for an object a create then makes) gets kubectl's
 * client-side apply instead: a three-way merge of the last applied manifest, the manifest and the
 * live object ({@link ThreeWayMerge}), written with the live resourceVersion (a concurrent write
 * is a conflict, not lost), and the manifest kept in the last-applied-configuration annotation.
 * One applier serves one run of objects and remembers what the server lacks.
 */
final class Applier {
    static final String MANAGER = "dr";
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    /** Fields a manifest may carry (e.g. one from a backup) that only the server sets. */
    private static final List<String> SERVER_METADATA = List.of("resourceVersion", "uid", "creationTimestamp", "generation",
            "managedFields", "selfLink", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds");

    private final KubernetesClient k;
    private final String ns;
    private boolean serverSide = true;

    Applier(KubernetesClient k, String ns) {
        this.k = k;
        this.ns = ns;
    }

    /** What happened, for the log: "server-side apply", "created", "updated" or "unchanged". */
    String apply(HasMetadata o) {
        JsonNode manifest = manifest(o);
        HasMetadata object = Serialization.unmarshal(JsonTrees.compact(manifest), o.getClass());
        if (serverSide) {
            try {
                k.resource(object).inNamespace(ns).fieldManager(MANAGER).forceConflicts().serverSideApply();
                return "server-side apply";
            } catch (KubernetesClientException e) {
                if (e.getCode() != 415 && e.getCode() != 404) {
                    throw e;
                }
                // 415: the server does not know the apply patch. A 404 may also mean a missing
                // namespace (or kind): only a create that succeeds below tells.
                serverSide = e.getCode() != 415;
            }
        }
        HasMetadata live = k.resource(object).inNamespace(ns).get();
        if (live == null) {
            k.resource(withLastApplied(manifest, manifest, o)).inNamespace(ns).create();
            serverSide = false;
            return "created";
        }
        JsonNode current = JsonTrees.read(Serialization.asJson(live));
        JsonNode merged = ThreeWayMerge.merge(ManagedFields.appliedBefore(current), manifest, current);
        HasMetadata updated = withLastApplied(merged, manifest, o);
        if (JsonTrees.read(Serialization.asJson(updated)).equals(current)) {
            return "unchanged";
        }
        // The merged object still has the live resourceVersion: a write since the read is a 409.
        k.resource(updated).inNamespace(ns).update();
        return "updated";
    }

    /** The manifest as applied: without what only the server sets, nor a last-applied record of its own. */
    static JsonNode manifest(HasMetadata o) {
        ObjectNode m = (ObjectNode) JsonTrees.read(Serialization.asJson(o));
        m.remove("status");
        if (m.get("metadata") instanceof ObjectNode meta) {
            SERVER_METADATA.forEach(meta::remove);
            if (meta.get("annotations") instanceof ObjectNode a) {
                a.remove(LAST_APPLIED);
                if (a.isEmpty()) {
                    meta.remove("annotations");
                }
            }
        }
        return m;
    }

    private static HasMetadata withLastApplied(JsonNode object, JsonNode manifest, HasMetadata type) {
        ObjectNode o = (ObjectNode) object.deepCopy();
        ObjectNode meta = o.get("metadata") instanceof ObjectNode m ? m : o.putObject("metadata");
        ObjectNode annotations = meta.get("annotations") instanceof ObjectNode a ? a : meta.putObject("annotations");
        annotations.put(LAST_APPLIED, JsonTrees.compact(manifest));
        return Serialization.unmarshal(JsonTrees.compact(o), type.getClass());
    }
}

package dev.dr.steps.k8s;

import dev.dr.json.JsonTrees;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * A set of ConfigMaps owned as a whole (e.g. the control plane's): applied as k8s.apply applies
 * ({@link Applier}), with the ones of the set that are live but no longer wanted deleted, and
 * previewed key by key. Membership is a
 * label every ConfigMap of the set carries.
 */
public final class ConfigMaps {
    private ConfigMaps() {}

    /** The ConfigMaps applied and those deleted (no longer in the set), by name, in order. */
    public record Applied(List<String> appliedNames, List<String> deletedNames) {
        public Applied {
            appliedNames = List.copyOf(appliedNames);
            deletedNames = List.copyOf(deletedNames);
        }

        public int applied() {
            return appliedNames.size();
        }

        public int deleted() {
            return deletedNames.size();
        }
    }

    public static Applied apply(StepContext ctx, List<ConfigMap> wanted, String setLabel) throws StepFailure {
        String ns = Manifests.namespace(ctx);
        try (KubernetesClient k = KubeClients.open(ctx)) {
            Applier applier = new Applier(k, ns);
            for (ConfigMap m : wanted) {
                String how = applier.apply(m);
                ctx.log("applied ConfigMap " + ns + "/" + m.getMetadata().getName() + " (" + keys(m).size() + " keys, " + how + ")");
            }
            List<String> deleted = new ArrayList<>();
            for (ConfigMap stale : stale(k, ns, wanted, setLabel)) {
                k.configMaps().inNamespace(ns).withName(stale.getMetadata().getName()).delete();
                ctx.log("deleted ConfigMap " + ns + "/" + stale.getMetadata().getName() + " (no longer in the set)");
                deleted.add(stale.getMetadata().getName());
            }
            return new Applied(wanted.stream().map(m -> m.getMetadata().getName()).toList(), deleted);
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("ConfigMaps " + setLabel, e);
        }
    }

    /** Per ConfigMap: created, unchanged, updated (which keys are added, changed, removed) or deleted. */
    public static List<Change> preview(StepContext ctx, List<ConfigMap> wanted, String setLabel) throws StepFailure {
        String ns = Manifests.namespace(ctx);
        List<Change> out = new ArrayList<>();
        try (KubernetesClient k = KubeClients.open(ctx)) {
            for (ConfigMap m : wanted) {
                String id = "ConfigMap " + ns + "/" + m.getMetadata().getName();
                ConfigMap live = k.configMaps().inNamespace(ns).withName(m.getMetadata().getName()).get();
                if (live == null) {
                    out.add(new Change("create", id + " (" + keys(m).size() + " keys)"));
                    continue;
                }
                List<String> diff = diff(m, live);
                out.add(diff.isEmpty() ? new Change("unchanged", id) : new Change("update", id + " (" + String.join(", ", diff) + ")"));
            }
            for (ConfigMap stale : stale(k, ns, wanted, setLabel)) {
                out.add(new Change("delete", "ConfigMap " + ns + "/" + stale.getMetadata().getName() + " (no longer in the set)"));
            }
            return out;
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("ConfigMaps " + setLabel, e);
        }
    }

    /**
     * Keys added, changed and removed, then labels and annotations that differ. A live key the set
     * does not have is removed only when dr applied it before ({@link Applier}): a key another
     * client added stays, and is not shown.
     */
    static List<String> diff(ConfigMap want, ConfigMap live) {
        Map<String, String> w = keys(want);
        Map<String, String> l = keys(live);
        JsonNode before = ManagedFields.appliedBefore(JsonTrees.read(Serialization.asJson(live)));
        List<String> out = new ArrayList<>();
        Set<String> all = new TreeSet<>(w.keySet());
        all.addAll(l.keySet());
        for (String key : all) {
            if (!l.containsKey(key)) {
                out.add(key + " added");
            } else if (!w.containsKey(key)) {
                if (appliedBefore(before, key)) {
                    out.add(key + " removed");
                }
            } else if (!w.get(key).equals(l.get(key))) {
                out.add(key + " changed");
            }
        }
        metadata("labels", want.getMetadata().getLabels(), live.getMetadata().getLabels(), out);
        metadata("annotations", want.getMetadata().getAnnotations(), live.getMetadata().getAnnotations(), out);
        return out;
    }

    private static void metadata(String what, Map<String, String> want, Map<String, String> live, List<String> out) {
        Map<String, String> w = want == null ? Map.of() : want;
        Map<String, String> l = live == null ? Map.of() : live;
        for (String key : new TreeSet<>(w.keySet())) {
            if (!Objects.equals(w.get(key), l.get(key))) {
                out.add("metadata." + what + "." + key);
            }
        }
    }

    /** Whether {@code key} ("data.x" or "binaryData.x") is in what dr applied before. */
    private static boolean appliedBefore(JsonNode before, String key) {
        int dot = key.indexOf('.');
        return before != null && before.path(key.substring(0, dot)).has(key.substring(dot + 1));
    }

    /** data and binaryData keys, the latter prefixed so that the two never collide. */
    private static Map<String, String> keys(ConfigMap m) {
        Map<String, String> out = new TreeMap<>();
        if (m.getData() != null) {
            m.getData().forEach((k, v) -> out.put("data." + k, v));
        }
        if (m.getBinaryData() != null) {
            m.getBinaryData().forEach((k, v) -> out.put("binaryData." + k, v));
        }
        return out;
    }

    private static List<ConfigMap> stale(KubernetesClient k, String ns, List<ConfigMap> wanted, String setLabel) {
        Set<String> names = wanted.stream().map(m -> m.getMetadata().getName()).collect(Collectors.toSet());
        return k.configMaps().inNamespace(ns).withLabel(setLabel).list().getItems().stream()
                .filter(m -> !names.contains(m.getMetadata().getName()))
                .sorted(java.util.Comparator.comparing(m -> m.getMetadata().getName()))
                .toList();
    }
}

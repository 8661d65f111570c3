package dev.dr.steps.k8s;

import dev.dr.json.JsonTrees;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A folder of manifests (the runbook's ops/k8s/jobintel) applied to the plan's namespace:
 * created when missing, updated otherwise. The preview compares each object with the live one,
 * field by field, on the fields the manifest sets.
 */
final class Manifests {
    /** Fields the API server owns; a manifest that sets them does not make an object differ. */
    static final Set<String> SERVER_FIELDS = Set.of("metadata.resourceVersion", "metadata.uid", "metadata.creationTimestamp",
            "metadata.generation", "metadata.managedFields", "metadata.namespace", "status");

    private Manifests() {}

    static StepResult apply(StepContext ctx) throws StepFailure {
        String ns = namespace(ctx);
        List<HasMetadata> objects = load(ctx);
        try (KubernetesClient k = KubeClients.open(ctx)) {
            for (HasMetadata o : objects) {
                k.resource(o).inNamespace(ns).createOr(NonDeletingOperation::update);
                ctx.log("applied " + id(o, ns));
            }
            return StepResult.of("manifests.applied", Integer.toString(objects.size()));
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("k8s.apply " + ctx.with().get("path").asString(), e);
        }
    }

    static Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        String ns = namespace(ctx);
        List<HasMetadata> objects = load(ctx);
        List<Change> out = new ArrayList<>();
        try (KubernetesClient k = KubeClients.open(ctx)) {
            for (HasMetadata o : objects) {
                HasMetadata live = k.resource(o).inNamespace(ns).get();
                if (live == null) {
                    out.add(new Change("create", id(o, ns)));
                    continue;
                }
                Set<String> differ = new TreeSet<>();
                diff(JsonTrees.read(Serialization.asJson(o)), JsonTrees.read(Serialization.asJson(live)), "", differ);
                out.add(differ.isEmpty() ? new Change("unchanged", id(o, ns))
                        : new Change("update", id(o, ns) + " (" + String.join(", ", differ) + ")"));
            }
            return Optional.of(out);
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify("k8s.apply " + ctx.with().get("path").asString(), e);
        }
    }

    /** Paths of the fields the manifest sets whose live value differs (or is missing). */
    static void diff(JsonNode want, JsonNode have, String path, Set<String> differ) {
        if (SERVER_FIELDS.contains(path)) {
            return;
        }
        if (want.isObject()) {
            for (var e : want.properties()) {
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                JsonNode h = have == null ? null : have.get(e.getKey());
                diff(e.getValue(), h, p, differ);
            }
            return;
        }
        if (have == null || !want.equals(have)) {
            differ.add(path);
        }
    }

    private static List<HasMetadata> load(StepContext ctx) throws StepFailure {
        Path dir = Path.of(ctx.with().get("path").asString());
        if (!Files.isDirectory(dir)) {
            throw StepFailure.permanent("k8s.apply: no folder " + dir);
        }
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    Object parsed = Serialization.unmarshal(in);
                    if (parsed instanceof List<?> list) {
                        list.forEach(x -> out.add((HasMetadata) x));
                    } else if (parsed instanceof io.fabric8.kubernetes.api.model.KubernetesList kl) {
                        out.addAll(kl.getItems());
                    } else if (parsed instanceof HasMetadata h) {
                        out.add(h);
                    }
                } catch (RuntimeException e) {
                    throw StepFailure.permanent("k8s.apply: " + f + " is not a Kubernetes manifest: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw StepFailure.permanent("k8s.apply: cannot read " + dir + ": " + e.getMessage());
        }
        return out;
    }

    private static String namespace(StepContext ctx) throws StepFailure {
        return ctx.setting("target.namespace").orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
    }

    private static String id(HasMetadata o, String ns) {
        return o.getKind() + " " + ns + "/" + o.getMetadata().getName();
    }
}

package dev.dr.steps.k8s;

import dev.dr.json.JsonTrees;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * A folder of manifests (the runbook's ops/k8s/jobintel) applied to the plan's namespace as
 * {@code kubectl apply} applies them ({@link Applier}): fields the manifests do not set stay the
 * API server's and other owners'. The preview compares each object with the live one on the
 * fields the manifest sets ({@link FieldDiff}), and names the fields an earlier apply set that
 * the manifest no longer sets, which the apply removes. Also used for objects that come from
 * elsewhere: the manifests of a backup.
 */
public final class Manifests {
    private Manifests() {}

    static StepResult apply(StepContext ctx) throws StepFailure {
        String label = "k8s.apply " + ctx.with().get("path").asString();
        int n = apply(ctx, load(Path.of(ctx.with().get("path").asString()), "k8s.apply"), label);
        return StepResult.of("manifests.applied", Integer.toString(n));
    }

    static Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        return Optional.of(preview(ctx, load(Path.of(ctx.with().get("path").asString()), "k8s.apply"),
                "k8s.apply " + ctx.with().get("path").asString()));
    }

    /** Applies each object to the plan's namespace; {@code label} names the source in errors. */
    public static int apply(StepContext ctx, List<HasMetadata> objects, String label) throws StepFailure {
        String ns = namespace(ctx);
        try (KubernetesClient k = KubeClients.open(ctx)) {
            Applier applier = new Applier(k, ns);
            for (HasMetadata o : objects) {
                ctx.log("applied " + id(o, ns) + " (" + applier.apply(o) + ")");
            }
            return objects.size();
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify(label, e);
        }
    }

    /** What {@link #apply(StepContext, List, String)} would do, object by object, field by field. */
    public static List<Change> preview(StepContext ctx, List<HasMetadata> objects, String label) throws StepFailure {
        String ns = namespace(ctx);
        List<Change> out = new ArrayList<>();
        try (KubernetesClient k = KubeClients.open(ctx)) {
            for (HasMetadata o : objects) {
                HasMetadata live = k.resource(o).inNamespace(ns).get();
                out.add(live == null ? new Change("create", id(o, ns)) : compare(o, live, ns));
            }
            return out;
        } catch (KubernetesClientException e) {
            throw ApiErrors.classify(label, e);
        }
    }

    /** Unchanged, or an update naming the fields that differ and those that go. */
    static Change compare(HasMetadata o, HasMetadata live, String ns) {
        JsonNode manifest = Applier.manifest(o);
        JsonNode current = JsonTrees.read(Serialization.asJson(live));
        List<String> fields = new ArrayList<>(FieldDiff.changed(manifest, current));
        FieldDiff.removed(ManagedFields.appliedBefore(current), manifest).forEach(f -> fields.add(f + " removed"));
        return fields.isEmpty() ? new Change("unchanged", id(o, ns))
                : new Change("update", id(o, ns) + " (" + String.join(", ", fields) + ")");
    }

    /**
     * The objects of the .yaml/.yml files of a folder, in file name order. They are checked first
     * ({@link ManifestCheck}), so a document that is no Kubernetes object is named with its file,
     * line and field.
     */
    public static List<HasMetadata> load(Path dir, String label) throws StepFailure {
        ManifestCheck.check(dir, label);
        return loadChecked(dir, label);
    }

    /**
     * {@link #load} of a folder {@link ManifestCheck#check} has already passed (a restore checks
     * its manifests before it restores the state, and applies them after): read once, not twice.
     */
    public static List<HasMetadata> loadChecked(Path dir, String label) throws StepFailure {
        List<HasMetadata> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(ManifestCheck::isManifest).sorted().toList()) {
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
                    throw StepFailure.permanent(label + ": " + f + " is not a Kubernetes manifest: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw StepFailure.permanent(label + ": cannot read " + dir + ": " + e.getMessage());
        }
        return out;
    }

    static String namespace(StepContext ctx) throws StepFailure {
        return ctx.setting("target.namespace").orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
    }

    static String id(HasMetadata o, String ns) {
        return o.getKind() + " " + ns + "/" + o.getMetadata().getName();
    }
}

package dev.dr.steps.bundle;

import dev.dr.aws.S3Objects;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.RunbookReceipts;
import dev.dr.steps.k8s.ConfigMaps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/**
 * {@code control-plane.apply}: the verified bundle of {@code control-plane.fetch} rendered as
 * ConfigMaps and applied to the namespace; ConfigMaps of an earlier bundle that this one no
 * longer has (a part after a split shrank) are deleted. The preview fetches and verifies the
 * bundle into a temporary folder and compares key by key with the live ConfigMaps. The runbook's
 * receipts {@code control-plane/apply/apply.summary.json} and
 * {@code dr_restore.control_plane.summary.json} land in the receipt folder.
 */
public final class ControlPlaneApplyStep extends DescribedStep {
    /** The label every control-plane ConfigMap carries; the set is what has it. */
    static final String SET_LABEL = "dr.dev/control-plane";

    /** The runbook's receipts, relative to the receipt folder. */
    static final String APPLY_SUMMARY = "control-plane/apply/apply.summary.json";
    static final String RESTORE_SUMMARY = "dr_restore.control_plane.summary.json";

    public ControlPlaneApplyStep() {
        super("control-plane.apply");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        Path scratch = ControlPlaneSteps.scratch();
        try (S3Objects s3 = ControlPlaneSteps.s3(ctx)) {
            ControlPlane.Fetched f = ControlPlaneSteps.controlPlane(ctx, s3).fetch(scratch, scratch.resolve("bundle"), line -> { });
            List<RenderedConfigMap> maps = render(ctx, f.bundle().controlPlaneDir(), f.pointer());
            return Optional.of(ConfigMaps.preview(ctx, toConfigMaps(maps), SET_LABEL));
        } finally {
            ControlPlaneSteps.deleteTree(scratch);
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        String dir = ctx.outputs().get(ControlPlaneSteps.DIR);
        if (dir == null) {
            throw StepFailure.permanent("control-plane.apply needs the bundle that control-plane.fetch verifies:"
                    + " put control-plane.fetch before it in the phase");
        }
        Pointer p = new Pointer(ctx.outputs().get(ControlPlaneSteps.BUNDLE_URI), ctx.outputs().get(ControlPlaneSteps.BUNDLE_SHA),
                "", ctx.outputs().getOrDefault(ControlPlaneSteps.GIT_SHA, "unknown"), "");
        List<RenderedConfigMap> maps = render(ctx, Path.of(dir), p);
        Path out = ctx.workDir().resolve("control-plane").resolve("apply");
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("control-plane.configmaps.yaml"), ConfigMapRenderer.toYaml(maps), StandardCharsets.UTF_8);
            ConfigMaps.Applied a = ConfigMaps.apply(ctx, toConfigMaps(maps), SET_LABEL);
            Files.writeString(out.resolve("apply.summary.json"), "{\n  \"bundle_uri\": \"" + p.bundleUri()
                    + "\",\n  \"bundle_sha256\": \"" + p.bundleSha256() + "\",\n  \"configmaps_applied\": " + a.applied()
                    + ",\n  \"configmaps_deleted\": " + a.deleted() + "\n}\n", StandardCharsets.UTF_8);
            receipts(ctx, p, a);
            return StepResult.of("control-plane.configmaps", Integer.toString(a.applied()));
        } catch (IOException e) {
            throw StepFailure.permanent("control-plane.apply: " + e.getMessage());
        }
    }

    /**
     * apply.summary.json (what was applied) and dr_restore.control_plane.summary.json (the
     * restore's control-plane state: which pointer named which bundle, and what it became).
     */
    private static void receipts(StepContext ctx, Pointer p, ConfigMaps.Applied a) throws StepFailure {
        String ns = ctx.setting("target.namespace").orElse("");
        Map<String, Object> apply = new TreeMap<>();
        apply.put("bundle_uri", p.bundleUri());
        apply.put("bundle_sha256", p.bundleSha256());
        apply.put("namespace", ns);
        apply.put("configmaps", a.appliedNames().stream().sorted().toList());
        apply.put("configmaps_applied", a.applied());
        apply.put("configmaps_deleted", a.deleted());
        apply.put("configmaps_removed", a.deletedNames().stream().sorted().toList());
        RunbookReceipts.json(ctx, APPLY_SUMMARY, apply);
        Map<String, Object> restore = new TreeMap<>(apply);
        restore.put("status", "applied");
        restore.put("git_sha", p.gitSha());
        ctx.setting("inputs.bucket").filter(b -> !b.isBlank()).ifPresent(b -> restore.put("pointer",
                ControlPlane.pointerUri(b, ctx.setting("inputs.prefix").orElse("")).toString()));
        restore.put("fetch_summary", ControlPlaneFetchStep.SUMMARY_ENV);
        restore.put("apply_summary", APPLY_SUMMARY);
        RunbookReceipts.json(ctx, RESTORE_SUMMARY, restore);
    }

    static List<io.fabric8.kubernetes.api.model.ConfigMap> toConfigMaps(List<RenderedConfigMap> maps) {
        return maps.stream().map(m -> new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName(m.name()).withNamespace(m.namespace())
                .withLabels(new java.util.TreeMap<>(m.labels())).withAnnotations(new java.util.TreeMap<>(m.annotations()))
                .endMetadata()
                .withData(m.data().isEmpty() ? null : new java.util.TreeMap<>(m.data()))
                .withBinaryData(m.binaryData().isEmpty() ? null : new java.util.TreeMap<>(m.binaryData()))
                .build()).toList();
    }

    private static List<RenderedConfigMap> render(StepContext ctx, Path dir, Pointer p) throws StepFailure {
        String ns = ctx.setting("target.namespace").orElseThrow(() -> StepFailure.permanent("target.namespace is not set"));
        try {
            return ConfigMapRenderer.render(dir, ns, p.bundleSha256(), p.gitSha());
        } catch (IOException e) {
            throw StepFailure.permanent("control-plane.apply: " + e.getMessage());
        }
    }
}

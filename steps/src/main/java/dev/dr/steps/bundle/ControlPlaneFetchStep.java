package dev.dr.steps.bundle;

import dev.dr.aws.S3Objects;
import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.RunbookReceipts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code control-plane.fetch}: reads {@code current.json}, downloads the bundle it names and
 * verifies the bundle's SHA-256 and every file against its manifest, into the receipt's work
 * folder ({@code control-plane/fetch/bundle/control-plane}, as the runbook lays it out). What it
 * fetched is summed up in {@code fetch.summary.json} in the work folder and, as the runbook's
 * receipts have it, in {@code control-plane/fetch/fetch.summary.env} in the receipt folder.
 */
public final class ControlPlaneFetchStep extends DescribedStep {
    /** The runbook's fetch receipt, relative to the receipt folder. */
    static final String SUMMARY_ENV = "control-plane/fetch/fetch.summary.env";

    public ControlPlaneFetchStep() {
        super("control-plane.fetch");
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure {
        try (S3Objects s3 = ControlPlaneSteps.s3(ctx)) {
            ControlPlane cp = ControlPlaneSteps.controlPlane(ctx, s3);
            Pointer p = cp.requirePointer();
            return Optional.of(List.of(new Change("unchanged", "read " + p.bundleUri() + " (sha256 " + p.bundleSha256()
                    + ", git " + p.gitSha() + ", named by " + cp.pointerUri() + ")")));
        }
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure {
        Path fetch = ctx.workDir().resolve("control-plane").resolve("fetch");
        try (S3Objects s3 = ControlPlaneSteps.s3(ctx)) {
            ControlPlane cp = ControlPlaneSteps.controlPlane(ctx, s3);
            Files.createDirectories(fetch);
            ControlPlane.Fetched f = cp.fetch(fetch, fetch.resolve("bundle"), ctx::log);
            Map<String, String> outputs = new LinkedHashMap<>();
            outputs.put(ControlPlaneSteps.DIR, f.bundle().controlPlaneDir().toAbsolutePath().toString());
            outputs.put(ControlPlaneSteps.BUNDLE_URI, f.pointer().bundleUri());
            outputs.put(ControlPlaneSteps.BUNDLE_SHA, f.pointer().bundleSha256());
            outputs.put(ControlPlaneSteps.GIT_SHA, f.pointer().gitSha());
            Files.writeString(fetch.resolve("fetch.summary.json"), summary(cp, f), StandardCharsets.UTF_8);
            RunbookReceipts.env(ctx, SUMMARY_ENV, summaryEnv(cp, f));
            return new StepResult(outputs);
        } catch (IOException e) {
            throw StepFailure.permanent("control-plane.fetch: " + e.getMessage());
        }
    }

    /** The same facts as fetch.summary.json, for a shell to source. */
    private static java.util.SortedMap<String, String> summaryEnv(ControlPlane cp, ControlPlane.Fetched f) {
        java.util.SortedMap<String, String> env = new java.util.TreeMap<>();
        env.put("POINTER", cp.pointerUri().toString());
        env.put("BUNDLE_URI", f.pointer().bundleUri());
        env.put("BUNDLE_SHA256", f.pointer().bundleSha256());
        env.put("GIT_SHA", f.pointer().gitSha());
        env.put("FILES", Integer.toString(f.bundle().manifest().fileCount()));
        return env;
    }

    private static String summary(ControlPlane cp, ControlPlane.Fetched f) {
        return "{\n  \"pointer\": \"" + cp.pointerUri() + "\",\n  \"bundle_uri\": \"" + f.pointer().bundleUri()
                + "\",\n  \"bundle_sha256\": \"" + f.pointer().bundleSha256() + "\",\n  \"git_sha\": \"" + f.pointer().gitSha()
                + "\",\n  \"files\": " + f.bundle().manifest().fileCount() + "\n}\n";
    }
}

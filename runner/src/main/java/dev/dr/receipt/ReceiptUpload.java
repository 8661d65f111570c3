package dev.dr.receipt;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.render.JsonRenderer;
import dev.dr.step.StepFailure;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A worker's receipts in the orchestrator's receipt bucket, at the runbook's keys: each phase
 * receipt of the run as {@code <folder>/<phase>.json} and what the worker did as
 * {@code <folder>/codebuild-<action>.json}, where the folder is
 * {@code s3://<receipt_bucket>/<receipt_prefix>/<execution_id>}. Runs after dr apply has written
 * its receipts locally, whatever its result; an upload that fails is said on stderr and leaves
 * the command's exit code as it was. The phase receipts are uploaded as written (secret-free
 * already: outputs under secret-looking names are masked); the action record names no
 * environment value but the build's id.
 */
public final class ReceiptUpload {
    /** An S3-compatible stand-in for the receipt bucket (path-style, unsigned), e.g. the sandbox's. */
    public static final String ENDPOINT_ENV = "DR_RECEIPT_ENDPOINT_URL";
    /** The action record's key is this, the action and {@code .json}. */
    public static final String ACTION_PREFIX = "codebuild-";
    /** What the action record says of a worker that applied more than one phase. */
    public static final String APPLY_ACTION = "apply";

    private final S3Uri folder;
    private final Optional<URI> endpoint;

    private ReceiptUpload(S3Uri folder, Optional<URI> endpoint) {
        this.folder = folder;
        this.endpoint = endpoint;
    }

    /**
     * @param uri the execution's folder, {@code s3://bucket/prefix/execution-id}
     * @throws IllegalArgumentException not such a folder, or a stand-in endpoint that is no URL
     */
    public static ReceiptUpload to(String uri, Map<String, String> env) {
        S3Uri folder = S3Uri.parse(uri);
        if (folder.key().isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' names a bucket, not the execution's folder"
                    + " (expected s3://<receipt_bucket>/<receipt_prefix>/<execution_id>)");
        }
        String e = env.getOrDefault(ENDPOINT_ENV, "").strip();
        Optional<URI> endpoint = Optional.empty();
        if (!e.isEmpty()) {
            URI u;
            try {
                u = URI.create(e);
            } catch (IllegalArgumentException bad) {
                u = null;
            }
            if (u == null || u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException(ENDPOINT_ENV + " '" + e + "' is not a URL such as http://127.0.0.1:9000");
            }
            endpoint = Optional.of(u);
        }
        return new ReceiptUpload(folder, endpoint);
    }

    public S3Uri folder() {
        return folder;
    }

    /**
     * What one worker did, for its action record.
     *
     * @param action      the phase it applied, or {@value #APPLY_ACTION}
     * @param phase       the phase, when it applied one
     * @param status      succeeded, failed, refused or invalid
     * @param exitCode    dr apply's exit code
     * @param planDigest  the plan-diff's digest, when the plan-diff was made
     * @param runId       the run, when it has a folder
     * @param runDir      the run's local receipts folder, when it has one
     * @param phases      the phases the command ran (or, refused, would have run): only their receipts are
     *                    uploaded, as the run's other receipts (skipped) would overwrite other workers'
     */
    public record Worker(String action, Optional<String> phase, String status, int exitCode, Instant startedAt,
                         Instant finishedAt, Optional<String> planDigest, Optional<String> runId, Optional<Path> runDir,
                         List<String> phases, Map<String, String> env) {
        public Worker {
            phases = List.copyOf(phases);
        }
    }

    /**
     * Uploads the run's phase receipts, then the action record; says on {@code err} what went up
     * and what did not. Never throws for a failed upload.
     *
     * @param region the region of the bucket's client (the plan's target), if known
     * @return true when everything went up
     */
    public boolean upload(Worker w, Optional<String> region, PrintWriter err) {
        List<String> uploaded = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        S3Settings settings = new S3Settings(region.filter(r -> !r.isBlank()), endpoint, endpoint.isPresent());
        try (S3Objects s3 = new S3Objects(S3Clients.open(settings, false))) {
            for (Path receipt : phaseReceipts(w.runDir(), w.phases(), missing)) {
                S3Uri to = folder.resolve(receipt.getFileName().toString());
                try {
                    s3.put(to, receipt, "application/json");
                    uploaded.add(to.name());
                } catch (StepFailure e) {
                    failures.add(e.getMessage());
                }
            }
            S3Uri record = folder.resolve(ACTION_PREFIX + w.action() + ".json");
            try {
                s3.put(record, record(w, uploaded).getBytes(StandardCharsets.UTF_8), "application/json");
                uploaded.add(record.name());
            } catch (StepFailure e) {
                failures.add(e.getMessage());
            }
        } catch (RuntimeException e) {
            // no client could be built (no region, a bad configuration), or the SDK failed otherwise: the result stands
            failures.add("upload to " + folder + ": " + e.getMessage());
        }
        if (!uploaded.isEmpty()) {
            err.println("dr: receipts uploaded to " + folder + "/: " + String.join(", ", uploaded));
        }
        if (!missing.isEmpty()) {
            err.println("dr: no receipt of " + String.join(", ", missing) + " to upload: the run wrote none");
        }
        for (String f : failures) {
            err.println("dr: receipts NOT uploaded: " + f + " (the run's own result and exit code " + w.exitCode()
                    + " stand; its receipts are in " + w.runDir().map(Path::toString).orElse("no folder") + ")");
        }
        err.flush();
        return failures.isEmpty();
    }

    /**
     * The receipts the run wrote of {@code phases}, in that order; the phases without one (a run
     * refused before it wrote any, or none at all) go to {@code missing}.
     */
    private static List<Path> phaseReceipts(Optional<Path> runDir, List<String> phases, List<String> missing) {
        if (runDir.isEmpty()) {
            missing.addAll(phases);
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (String phase : phases) {
            Path receipt = runDir.get().resolve("phases").resolve(phase + ".json");
            if (Files.isRegularFile(receipt)) {
                out.add(receipt);
            } else {
                missing.add(phase);
            }
        }
        return out;
    }

    /** The action record: what the worker did, where its receipts are, never a secret. */
    String record(Worker w, List<String> receipts) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode n = f.objectNode();
        n.put("formatVersion", ReceiptRecorder.FORMAT_VERSION);
        n.put("kind", "worker-action");
        n.put("action", w.action());
        n.put("phase", w.phase().orElse(null));
        n.put("executionId", folder.name());
        n.put("worker", worker(w.env()));
        n.put("buildId", Optional.ofNullable(w.env().get("CODEBUILD_BUILD_ID")).filter(s -> !s.isBlank()).orElse(null));
        n.put("runId", w.runId().orElse(null));
        n.put("status", w.status());
        n.put("exitCode", w.exitCode());
        n.put("startedAt", w.startedAt().toString());
        n.put("finishedAt", w.finishedAt().toString());
        n.put("planDigest", w.planDigest().orElse(null));
        n.put("localReceipts", w.runDir().map(p -> p.toAbsolutePath().normalize().toString()).orElse(null));
        n.put("receiptFolder", folder.toString());
        ArrayNode keys = n.putArray("phaseReceipts");
        receipts.forEach(keys::add);
        return new JsonRenderer().render(n);
    }

    /** Which kind of worker ran dr: CodeBuild and ECS each set a variable of their own. */
    private static String worker(Map<String, String> env) {
        if (!env.getOrDefault("CODEBUILD_BUILD_ID", "").isBlank()) {
            return "codebuild";
        }
        if (!env.getOrDefault("ECS_CONTAINER_METADATA_URI_V4", "").isBlank()) {
            return "ecs";
        }
        return "local";
    }

    /** The status word of an exit code of dr apply. */
    public static String status(int exitCode) {
        return switch (exitCode) {
            case 0 -> "succeeded";
            case 2 -> "invalid";
            case 3 -> "refused";
            default -> "failed";
        };
    }
}

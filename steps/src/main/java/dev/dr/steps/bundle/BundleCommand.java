package dev.dr.steps.bundle;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.step.StepFailure;
import dev.dr.steps.bundle.Bundle;
import dev.dr.steps.bundle.BundleWriter;
import dev.dr.steps.bundle.ConfigMapRenderer;
import dev.dr.steps.bundle.ControlPlane;
import dev.dr.steps.bundle.GitRevision;
import dev.dr.steps.bundle.Manifest;
import dev.dr.steps.bundle.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dr bundle}: the runbook's control-plane scripts (publish_bundle.sh, fetch_bundle.sh,
 * apply_bundle_k8s.sh --render-only) with the same flags, for operators who inspect or
 * bootstrap the control plane outside a drill.
 */
@Command(name = "bundle", mixinStandardHelpOptions = true,
        description = "Publish, fetch and render the control-plane bundle (candidates/, alerts/, providers/, scoring/).",
        subcommands = {BundleCommand.Publish.class, BundleCommand.Fetch.class, BundleCommand.Render.class})
public final class BundleCommand implements Callable<Integer> {
    private final Context ctx;

    BundleCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        throw ExitException.invalidInput("name a command: publish, fetch or render (dr bundle --help)").as("dr bundle");
    }

    /** Where the control plane lives, as the runbook's scripts take it. */
    static final class Where {
        @Option(names = "--bucket", required = true, description = "Artifact bucket.")
        String bucket;

        @Option(names = "--prefix", defaultValue = "jobintel", description = "Prefix in the bucket (default: ${DEFAULT-VALUE}).")
        String prefix;

        @Option(names = "--region", description = "AWS region (default: the SDK's chain: AWS_REGION, profile).")
        String region;

        @Option(names = "--endpoint-url", description = "An S3-compatible endpoint instead of AWS (path-style).")
        URI endpoint;

        @Option(names = "--no-sign-request", description = "Send unsigned requests (an endpoint that takes them, e.g. the sandbox's).")
        boolean unsigned;

        /** A bucket S3 could not have is refused before anything is built or asked. */
        void check(String command) {
            try {
                new dev.dr.aws.S3Uri(bucket, prefix);
            } catch (IllegalArgumentException e) {
                throw ExitException.invalidInput("--bucket: " + e.getMessage()).as(command);
            }
        }

        S3Objects open(boolean readOnly) {
            return new S3Objects(S3Clients.open(new S3Settings(Optional.ofNullable(region), Optional.ofNullable(endpoint), unsigned),
                    readOnly));
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Build the deterministic bundle of a control-plane folder, upload it, verify the upload,"
                    + " then move control-plane/current.json to it. With --dry-run nothing is written.",
            footer = {"", "Example:", "  dr bundle publish --bucket artifacts --prefix jobintel \\",
                    "    --image-ref-digest 048622080012.dkr.ecr.us-east-1.amazonaws.com/jobintel@sha256:<digest>"})
    static final class Publish implements Callable<Integer> {
        private final Context ctx;

        @Mixin
        Where where;

        @Option(names = "--image-ref-digest", required = true, description = "Digest-pinned image ref recorded in the manifest and pointer.")
        String imageRef;

        @Option(names = "--source", defaultValue = ".", description = "Folder holding candidates/, alerts/, providers/, scoring/ (default: the current folder).")
        Path source;

        @Option(names = "--git-sha", description = "Commit recorded in the manifest (default: HEAD of the source's work tree).")
        String gitSha;

        @Option(names = "--dry-run", description = "Build and hash the bundle and read the pointer; upload nothing.")
        boolean dryRun;

        Publish(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            where.check("dr bundle publish");
            Path src = ctx.resolve(source.toString());
            // Building an S3 client loads some 2,000 classes, about as long as bundling a small
            // control plane takes: the client (and, for a dry run, the pointer in force) is
            // fetched on another thread while the bundle is built.
            ExecutorService background = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "dr-bundle-s3");
                t.setDaemon(true);
                return t;
            });
            Future<S3Objects> client = background.submit(() -> where.open(dryRun));
            Future<Optional<Pointer>> current = dryRun
                    ? background.submit(() -> new ControlPlane(client.get(), where.bucket, where.prefix).pointer()) : null;
            background.shutdown();
            Path tmp = null;
            try {
                GitRevision rev = gitSha != null ? new GitRevision(gitSha, GitRevision.NONE.committedAt())
                        : GitRevision.of(src).orElse(GitRevision.NONE);
                tmp = Files.createTempDirectory("dr-bundle");
                Bundle b;
                try {
                    b = BundleWriter.write(src, tmp.resolve("bundle.tar.gz"), rev.sha(), imageRef, rev.committedAt(),
                            ConfigMapRenderer::check);
                } catch (IOException e) {
                    throw ExitException.invalidInput(e.getMessage()).as("dr bundle publish");
                }
                ctx.out().println("Bundle: " + b.manifest().fileCount() + " files, " + b.size() + " bytes, sha256 " + b.sha256()
                        + " (git " + b.manifest().gitSha() + ")");
                ControlPlane cp = new ControlPlane(await(client), where.bucket, where.prefix);
                if (dryRun) {
                    Optional<Pointer> pointer = await(current);
                    boolean same = pointer.isPresent() && pointer.get().bundleSha256().equals(b.sha256());
                    ctx.out().println("Pointer " + cp.pointerUri() + ": " + (same ? "unchanged (already names this bundle)"
                            : "would move from " + pointer.map(Pointer::bundleSha256).orElse("none (bootstrap)") + " to " + b.sha256()));
                    ctx.out().println("Dry run: nothing uploaded.");
                    return ExitCodes.OK;
                }
                ControlPlane.Published p = cp.publish(b, imageRef, Clock.systemUTC(), line -> { });
                ctx.out().println(p.pointerMoved()
                        ? "Uploaded " + p.pointer().bundleUri() + " and verified it; pointer " + cp.pointerUri() + " moved from "
                                + p.previous().map(Pointer::bundleSha256).orElse("none") + " to " + b.sha256()
                        : "Pointer " + cp.pointerUri() + " already names this bundle; nothing uploaded.");
                return ExitCodes.OK;
            } catch (StepFailure e) {
                throw ExitException.phaseFailed(e.getMessage()).as("dr bundle publish");
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                // building the client failed (no region): one line, not the SDK's chain
                throw ExitException.phaseFailed(dev.dr.aws.S3Errors.classify("S3 client", e).getMessage())
                        .as("dr bundle publish");
            } finally {
                closeWhenBuilt(client);
                if (tmp != null) {
                    deleteTree(tmp);
                }
            }
        }

        /** What {@code f} gave, or what it threw, as it threw it. */
        private static <T> T await(Future<T> f) throws Exception {
            try {
                return f.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception x) {
                    throw x;
                }
                throw (Error) e.getCause();
            }
        }

        /** Waits for the client (a failure to build one was reported where it was awaited, or not needed) and closes it. */
        private static void closeWhenBuilt(Future<S3Objects> client) {
            try {
                client.get().close();
            } catch (ExecutionException e) {
                // never built: nothing to close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Read control-plane/current.json, download the bundle, verify its SHA-256 and every file against"
                    + " manifest.json, and extract it to DEST/bundle/control-plane. Exit 3 when the pointer is missing or"
                    + " the bundle does not verify; nothing is left half-extracted.",
            footer = {"", "Example:", "  dr bundle fetch --bucket artifacts --prefix jobintel --dest-dir control-plane-fetch"})
    static final class Fetch implements Callable<Integer> {
        private final Context ctx;

        @Mixin
        Where where;

        @Option(names = "--dest-dir", required = true, description = "Folder to fetch into; the bundle lands in DEST/bundle.")
        Path dest;

        Fetch(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            where.check("dr bundle fetch");
            Path d = ctx.resolve(dest.toString());
            try (S3Objects s3 = where.open(false)) {
                ControlPlane cp = new ControlPlane(s3, where.bucket, where.prefix);
                Optional<Pointer> pointer = cp.pointer();
                if (pointer.isEmpty()) {
                    throw ExitException.guardRefused(cp.pointerUri() + " does not exist: " + ControlPlane.BOOTSTRAP_RULE)
                            .as("dr bundle fetch");
                }
                Files.createDirectories(d); // only once there is a bundle to put there
                ControlPlane.Fetched f = cp.fetch(d, d.resolve("bundle"), line -> { });
                Files.write(d.resolve("current.json"), f.pointer().toJson());
                ctx.out().println("Fetched " + f.pointer().bundleUri() + " (sha256 " + f.pointer().bundleSha256() + ", git "
                        + f.pointer().gitSha() + "): " + f.bundle().manifest().fileCount() + " files verified against manifest.json");
                ctx.out().println("Bundle folder: " + f.bundle().controlPlaneDir());
                return ExitCodes.OK;
            } catch (StepFailure e) {
                ctx.err().println("dr bundle fetch: " + e.getMessage());
                return e.errorClass() == dev.dr.step.ErrorClass.PERMANENT ? ExitCodes.GUARD_REFUSED : ExitCodes.PHASE_FAILED;
            } catch (software.amazon.awssdk.core.exception.SdkException e) {
                // building the client failed (no region): one line, not the SDK's chain
                throw ExitException.phaseFailed(dev.dr.aws.S3Errors.classify("S3 client", e).getMessage())
                        .as("dr bundle fetch");
            }
        }
    }

    @Command(name = "render", mixinStandardHelpOptions = true,
            description = "Render a fetched control-plane folder as ConfigMaps (deterministic YAML); applies nothing.",
            footer = {"", "Example:", "  dr bundle render --bundle-dir control-plane-fetch/bundle/control-plane \\",
                    "    --namespace jobintel --output-yaml control-plane.configmaps.yaml"})
    static final class Render implements Callable<Integer> {
        private final Context ctx;

        @Option(names = "--bundle-dir", required = true, description = "The control-plane folder (with manifest.json).")
        Path bundleDir;

        @Option(names = "--namespace", required = true, description = "Namespace of the ConfigMaps.")
        String namespace;

        @Option(names = "--output-yaml", defaultValue = "-", description = "File to write, or - for stdout (default).")
        String output;

        @Option(names = "--bundle-sha256", description = "Bundle hash for the ConfigMaps' annotation (default: from DEST/current.json"
                + " when the folder came from dr bundle fetch).")
        String bundleSha;

        @Option(names = "--render-only", description = "Accepted for the runbook's command line; dr bundle render never applies.")
        boolean renderOnly;

        Render(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            Path dir = ctx.resolve(bundleDir.toString());
            Manifest m;
            try (InputStream in = Files.newInputStream(dir.resolve("manifest.json"))) {
                m = Manifest.parse(in);
            } catch (IOException e) {
                throw ExitException.invalidInput(dir.resolve("manifest.json") + ": " + e.getMessage())
                        .as("dr bundle render");
            }
            String sha = bundleSha != null ? bundleSha : fetchedSha(dir).orElse("unknown");
            String yaml;
            try {
                yaml = ConfigMapRenderer.toYaml(ConfigMapRenderer.render(dir, namespace, sha, m.gitSha()));
            } catch (IOException e) {
                throw ExitException.invalidInput(e.getMessage()).as("dr bundle render");
            }
            if (output.equals("-")) {
                ctx.out().print(yaml);
            } else {
                Path f = ctx.resolve(output);
                dev.dr.step.AtomicFiles.write(f, yaml);
                ctx.err().println("Wrote " + f);
            }
            return ExitCodes.OK;
        }

        /** dr bundle fetch leaves the pointer it verified against two folders up. */
        private static Optional<String> fetchedSha(Path controlPlaneDir) {
            Path pointer = controlPlaneDir.toAbsolutePath().getParent().getParent().resolve("current.json");
            try {
                return Optional.of(Pointer.parse(Files.readAllBytes(pointer), pointer.toString()).bundleSha256());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

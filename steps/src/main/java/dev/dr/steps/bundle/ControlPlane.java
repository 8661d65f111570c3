package dev.dr.steps.bundle;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import dev.dr.steps.digest.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The control plane's objects under {@code s3://<bucket>/<prefix>/control-plane/}: bundles in
 * {@code bundles/<timestamp>-<shortsha>.tar.gz} and the pointer {@code current.json}. Publishing
 * moves the pointer only after the uploaded bundle has been read back and hashed, so a
 * failure at any earlier point leaves the old pointer in force.
 */
public final class ControlPlane {

    /** The runbook's rule when there is no pointer yet. */
    public static final String BOOTSTRAP_RULE =
            "run `dr bundle publish` (or the publish-bundle plan) once from the primary before a DR restore";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", java.util.Locale.ROOT).withZone(ZoneOffset.UTC);

    private final S3Objects s3;
    private final S3Uri root;

    /** {@code root} is {@code s3://<bucket>/<prefix>/control-plane}. */
    public ControlPlane(S3Objects s3, String bucket, String prefix) {
        this.s3 = s3;
        this.root = new S3Uri(bucket, prefix).resolve("control-plane");
    }

    public S3Uri pointerUri() {
        return root.resolve("current.json");
    }

    /** {@code s3://<bucket>/<prefix>/control-plane/current.json}, without a client. */
    public static S3Uri pointerUri(String bucket, String prefix) {
        return new S3Uri(bucket, prefix).resolve("control-plane").resolve("current.json");
    }

    /** The pointer in force, or empty when none was ever published. */
    public Optional<Pointer> pointer() throws StepFailure {
        Optional<byte[]> bytes = s3.readSmall(pointerUri());
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Pointer.parse(bytes.get(), pointerUri().toString()));
        } catch (BundleRefused e) {
            throw StepFailure.permanent(e.getMessage());
        }
    }

    /** The pointer in force; its absence fails with the bootstrap rule. */
    public Pointer requirePointer() throws StepFailure {
        return pointer().orElseThrow(() -> new StepFailure(ErrorClass.NOT_FOUND,
                pointerUri() + " does not exist: " + BOOTSTRAP_RULE));
    }

    /** What a publish did. {@code pointerMoved} is false when the pointer already named the same bundle. */
    public record Published(Pointer pointer, Optional<Pointer> previous, boolean pointerMoved, long size) {}

    /**
     * Uploads {@code bundle}, reads it back to verify its SHA-256, then moves the pointer. When
     * the pointer already names a bundle with the same SHA-256, nothing is uploaded.
     */
    public Published publish(Bundle bundle, String imageRefDigest, Clock clock, Consumer<String> log)
            throws StepFailure, InterruptedException {
        Optional<Pointer> previous = pointer();
        if (previous.isPresent() && previous.get().bundleSha256().equals(bundle.sha256())) {
            log.accept("pointer " + pointerUri() + " already names this bundle (sha256 " + bundle.sha256() + "): nothing to upload");
            return new Published(previous.get(), previous, false, bundle.size());
        }
        var now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        S3Uri object = root.resolve("bundles").resolve(STAMP.format(now) + "-" + shortSha(bundle.manifest().gitSha()) + ".tar.gz");
        s3.put(object, bundle.archive(), "application/gzip");
        log.accept("uploaded " + object + " (" + bundle.size() + " bytes)");
        String readBack = sha256(object, bundle.size());
        if (!readBack.equals(bundle.sha256())) {
            throw StepFailure.permanent("uploaded " + object + " reads back with sha256 " + readBack + ", not "
                    + bundle.sha256() + "; the pointer was not moved");
        }
        Pointer p = new Pointer(object.toString(), bundle.sha256(), now.toString(), bundle.manifest().gitSha(), imageRefDigest);
        s3.put(pointerUri(), p.toJson(), "application/json");
        log.accept("pointer " + pointerUri() + " now names " + object);
        return new Published(p, previous, true, bundle.size());
    }

    /** The {@code <shortsha>} of a bundle's name: seven hex digits of the commit, or {@code nogit}. */
    public static String shortSha(String gitSha) {
        return gitSha != null && gitSha.matches("[0-9a-f]{7,}") ? gitSha.substring(0, 7) : "nogit";
    }

    /** Downloads the bundle the pointer names into {@code file} (streamed); checks nothing yet. */
    public void download(Pointer p, Path file) throws StepFailure {
        S3Uri uri;
        try {
            uri = S3Uri.parse(p.bundleUri());
        } catch (IllegalArgumentException e) {
            throw StepFailure.permanent(pointerUri() + ": bundle_uri: " + e.getMessage());
        }
        try (InputStream in = s3.open(uri)) {
            Files.createDirectories(file.getParent());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new StepFailure(ErrorClass.UNAVAILABLE, "GET " + uri + ": " + e.getMessage(), e);
        }
    }

    /** Fetches the bundle in force and verifies it into {@code destDir} (which must not exist yet or is replaced). */
    public record Fetched(Pointer pointer, VerifiedBundle bundle) {}

    public Fetched fetch(Path workDir, Path destDir, Consumer<String> log) throws StepFailure {
        Pointer p = requirePointer();
        Path archive = workDir.resolve("bundle.tar.gz");
        download(p, archive);
        log.accept("downloaded " + p.bundleUri());
        try {
            VerifiedBundle v = BundleReader.extractAndVerify(archive, p.bundleSha256(), destDir);
            log.accept("verified " + v.manifest().fileCount() + " files against manifest.json; bundle sha256 " + v.sha256());
            return new Fetched(p, v);
        } catch (BundleRefused | dev.dr.steps.archive.ArchiveRefused e) {
            throw StepFailure.permanent(p.bundleUri() + ": " + e.getMessage());
        } catch (IOException e) {
            throw StepFailure.permanent("cannot extract " + p.bundleUri() + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(archive);
            } catch (IOException ignored) {
                // the archive is a download cache in the work folder; leaving it is harmless
            }
        }
    }

    private String sha256(S3Uri object, long expectedSize) throws StepFailure {
        try (InputStream in = new DigestInputStream(s3.open(object), Sha256.forStream(expectedSize))) {
            long n = in.transferTo(java.io.OutputStream.nullOutputStream());
            if (n != expectedSize) {
                throw StepFailure.permanent("uploaded " + object + " reads back with " + n + " bytes, not " + expectedSize
                        + "; the pointer was not moved");
            }
            return Sha256.hex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new StepFailure(ErrorClass.UNAVAILABLE, "GET " + object + " (read-back): " + e.getMessage(), e);
        }
    }
}

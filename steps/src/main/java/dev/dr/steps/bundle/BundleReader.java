package dev.dr.steps.bundle;

import dev.dr.steps.archive.ExtractLimits;
import dev.dr.steps.archive.SafeExtract;
import dev.dr.steps.bundle.Bundle.Layout;
import dev.dr.steps.digest.Sha256;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.GZIPInputStream;
import org.apache.commons.io.file.PathUtils;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Extracts a bundle and proves it is the one the pointer names and complete: the archive's
 * SHA-256 first, then every file against the manifest inside it. Only a bundle that passes
 * reaches {@code destDir}; until then it lives in a staging folder next to it.
 */
public final class BundleReader {
    /** A manifest of 100,000 files is about 15 MB; anything far larger is not one. */
    static final long MAX_MANIFEST_BYTES = 64L << 20;

    private BundleReader() {}

    /**
     * Checks that {@code archive} hashes to {@code expectedSha256} (a mismatch is refused before
     * anything is extracted), extracts it with {@link SafeExtract} and {@link ExtractLimits#bundle()}
     * into a staging folder next to {@code destDir}, and checks it against
     * {@code control-plane/manifest.json}: every listed file present with its size and SHA-256,
     * no file the manifest does not list, the four folders present, nothing outside
     * {@code control-plane/}. Then the staging folder replaces {@code destDir} (see
     * {@link SafeExtract#moveIntoPlace}). On any failure the staging folder is deleted and
     * {@code destDir} is left as it was.
     *
     * @throws BundleRefused on a SHA-256 mismatch or when the bundle does not match its manifest
     *     (every mismatch is listed: {@code path: expected … got …})
     * @throws dev.dr.steps.archive.ArchiveRefused when the archive breaks an extraction rule
     */
    public static VerifiedBundle extractAndVerify(Path archive, String expectedSha256, Path destDir) throws IOException {
        String sha = sha256(archive);
        if (!sha.equalsIgnoreCase(expectedSha256)) {
            throw new BundleRefused("bundle sha256 " + sha + " does not match the pointer's " + expectedSha256);
        }
        Path dest = destDir.toAbsolutePath().normalize();
        Path staging = dest.resolveSibling("." + dest.getFileName() + ".staging-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        MessageDigest again = Sha256.forStream(Files.size(archive));
        try {
            Manifest manifest;
            try (InputStream file = Files.newInputStream(archive);
                    DigestInputStream hashed = new DigestInputStream(new BufferedInputStream(file, Layout.BUFFER), again);
                    BoundedInputStream counted = BoundedInputStream.builder().setInputStream(hashed).get();
                    GZIPInputStream gz = new GZIPInputStream(counted, Layout.BUFFER)) {
                SafeExtract.extract(gz, staging, ExtractLimits.bundle(), counted::getCount);
                // the archive was read a second time to extract it; it must not have changed since it was hashed
                counted.transferTo(OutputStream.nullOutputStream());
                if (!Layout.hex(again.digest()).equals(sha)) {
                    throw new BundleRefused("bundle " + archive + " changed while it was extracted");
                }
                manifest = verify(staging, sha);
            }
            SafeExtract.moveIntoPlace(staging, dest);
            return new VerifiedBundle(destDir.resolve(Layout.ROOT), manifest, sha);
        } catch (Throwable t) {
            try {
                if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
                    PathUtils.deleteDirectory(staging);
                }
            } catch (IOException | RuntimeException d) {
                t.addSuppressed(d);
            }
            throw t;
        }
    }

    /** Checks the extracted tree against its manifest; every problem is listed, sorted by path. */
    private static Manifest verify(Path staging, String sha) throws IOException {
        Path root = staging.resolve(Layout.ROOT);
        Path manifestFile = root.resolve(Layout.MANIFEST);
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleRefused("bundle " + sha + " has no " + Layout.ROOT + "/" + Layout.MANIFEST);
        }
        if (Files.size(manifestFile) > MAX_MANIFEST_BYTES) {
            throw new BundleRefused("bundle " + sha + ": " + Layout.ROOT + "/" + Layout.MANIFEST + " is larger than "
                    + MAX_MANIFEST_BYTES + " bytes");
        }
        Manifest manifest;
        try (InputStream in = Files.newInputStream(manifestFile)) {
            manifest = Manifest.parse(in);
        }
        List<String> problems = new ArrayList<>();
        Layout.Tree tree = Layout.walk(staging);
        Sha256.prepareFor(tree.bytes()); // as BundleWriter: a large control plane's files are checked natively sooner
        for (String other : tree.others()) {
            problems.add(other + ": not a regular file or folder (a bundle holds no links)");
        }
        String prefix = Layout.ROOT + "/";
        for (String dir : tree.dirs()) {
            if (!dir.equals(Layout.ROOT) && (!dir.startsWith(prefix)
                    || !Layout.FOLDERS.contains(dir.substring(prefix.length()).split("/")[0]))) {
                problems.add(dir + "/: not in one of the control plane's folders");
            }
        }
        for (String folder : Layout.FOLDERS) {
            if (!Files.isDirectory(root.resolve(folder), LinkOption.NOFOLLOW_LINKS)) {
                problems.add(folder + "/: missing folder");
            }
        }
        Map<String, BundleFile> listed = new HashMap<>();
        manifest.files().forEach(f -> listed.put(f.path(), f));
        for (String f : tree.files()) {
            String path = f.startsWith(prefix) ? f.substring(prefix.length()) : null;
            if (path == null) {
                problems.add(f + ": outside " + prefix);
            } else if (!path.equals(Layout.MANIFEST) && !listed.containsKey(path)) {
                problems.add(path + ": not in the manifest");
            }
        }
        long hashed = 0;
        for (BundleFile want : manifest.files()) {
            Path p = root.resolve(want.path());
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                problems.add(want.path() + ": missing");
                continue;
            }
            BundleFile got = Layout.hash(p, want.path(), hashed);
            hashed += got.size();
            if (!got.equals(want)) {
                problems.add(want.path() + ": expected " + want.size() + " bytes sha256 " + want.sha256()
                        + " got " + got.size() + " bytes sha256 " + got.sha256());
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Layout.NAME_ORDER);
            throw new BundleRefused("bundle " + sha + " does not match its manifest: " + String.join("; ", problems));
        }
        return manifest;
    }

    private static String sha256(Path archive) throws IOException {
        MessageDigest md = Sha256.forStream(Files.size(archive));
        try (InputStream in = new DigestInputStream(Files.newInputStream(archive), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Layout.hex(md.digest());
    }
}

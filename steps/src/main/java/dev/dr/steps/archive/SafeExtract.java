package dev.dr.steps.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.apache.commons.io.file.PathUtils;

/**
 * Extracts tar archives that come from outside (bundles as .tar.gz, backups as .tar.zst) without
 * trusting them. Every entry must land inside the staging folder: no {@code ..} that climbs out,
 * no absolute names, no symlink or hard link pointing outside, no writing through a symlink the
 * archive made, no devices or FIFOs, no name twice. {@link ExtractLimits} bound the entries, the
 * bytes and the expansion ratio. A refusal is an {@link ArchiveRefused} naming the entry and the
 * rule; whatever fails, the staging folder is deleted, so nothing half-extracted is left.
 */
public final class SafeExtract {
    private SafeExtract() {}

    /**
     * Reads an (already decompressed) tar stream entry by entry into {@code staging}, which must
     * not exist yet and is created (its parent too, when missing). Regular files get mode 0644,
     * or 0755 when the entry's owner exec bit is set; modification times are not kept. Symlinks
     * and hard links are kept when they point inside. After the end-of-archive marker the rest
     * of {@code tar} is read to its end (so a decompressor below checks its checksum); the
     * stream is not closed.
     *
     * @param compressedBytesRead how many compressed bytes were consumed so far, for the ratio
     *     check; {@code () -> Long.MAX_VALUE} when unknown turns the check off
     * @throws java.nio.file.FileAlreadyExistsException when {@code staging} exists; it is left alone
     * @throws ArchiveRefused when the archive breaks a rule or is truncated
     * @throws java.io.InterruptedIOException when the thread is interrupted (its flag stays set)
     */
    public static Extracted extract(InputStream tar, Path staging, ExtractLimits limits, LongSupplier compressedBytesRead)
            throws IOException {
        Objects.requireNonNull(tar, "tar");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(compressedBytesRead, "compressedBytesRead");
        Path root = staging.toAbsolutePath().normalize();
        if (root.getParent() != null) {
            Files.createDirectories(root.getParent());
        }
        Files.createDirectory(root); // fails when it exists: someone else's folder, never deleted below
        try {
            return new Extraction(root, limits, compressedBytesRead).run(tar);
        } catch (Throwable t) {
            try {
                PathUtils.deleteDirectory(root);
            } catch (IOException | RuntimeException d) {
                t.addSuppressed(d);
            }
            throw t;
        }
    }

    /**
     * Moves a verified staging folder to {@code target} in one rename (same file system,
     * {@code ATOMIC_MOVE}), so a reader sees the old tree or the new one, never a mix. When
     * {@code target} exists it is first renamed aside and deleted only after the move succeeded;
     * when the move fails it is renamed back. When deleting the old tree fails, the new one is
     * in place and the IOException names the leftover folder.
     */
    public static void moveIntoPlace(Path staging, Path target) throws IOException {
        Path from = staging.toAbsolutePath().normalize();
        Path to = target.toAbsolutePath().normalize();
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("staging folder " + staging + " does not exist");
        }
        if (to.getParent() != null) {
            Files.createDirectories(to.getParent());
        }
        if (!Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path aside = to.resolveSibling("." + to.getFileName() + ".old-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        Files.move(to, aside, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            try {
                Files.move(aside, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException back) {
                e.addSuppressed(back);
            }
            throw e;
        }
        try {
            if (Files.isDirectory(aside, LinkOption.NOFOLLOW_LINKS)) {
                PathUtils.deleteDirectory(aside);
            } else {
                Files.delete(aside);
            }
        } catch (IOException e) {
            throw new IOException(target + " is in place, but its previous content could not be deleted from " + aside
                    + ": " + e.getMessage(), e);
        }
    }
}

package dev.dr.engine;

import dev.dr.plan.model.Phase;
import dev.dr.plan.model.StepUse;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The private folders through which a {@code dr apply}'s live previews hand what they computed
 * to the same steps' applies ({@link dev.dr.step.StepContext#handoffDir()}): one owner-only
 * temporary folder per run, outside the receipts (a saved terraform plan holds secrets), with a
 * folder per step of the plan; removed whole when the run ends.
 */
public final class StepHandoff implements AutoCloseable {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path root;

    private StepHandoff(Path root) {
        this.root = root;
    }

    /** A new folder in the system's temporary folder, readable by the owner only. */
    public static StepHandoff create() throws IOException {
        return new StepHandoff(POSIX ? Files.createTempDirectory("dr-handoff-", ownerOnly())
                : Files.createTempDirectory("dr-handoff-"));
    }

    public Path root() {
        return root;
    }

    /** The folder of {@code use} (a step of {@code phase}) for its preview, created if needed. */
    public Path forPreview(Phase phase, StepUse use) throws IOException {
        Path dir = folder(phase, use);
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectory(dir, ownerOnly());
            } else {
                Files.createDirectory(dir);
            }
        }
        return dir;
    }

    /** The folder of {@code use} for its apply: only when a preview of it made one in this run. */
    public Optional<Path> forApply(Phase phase, StepUse use) {
        Path dir = folder(phase, use);
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** Deletes the folder and everything the steps left in it. */
    @Override
    public void close() {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // the rest is still deleted; an owner-only folder in the temporary folder
                }
            });
        } catch (IOException e) {
            // gone already
        }
    }

    /** {@code <phase>-<n>}: the n-th step of the phase (by identity: two equal uses are two steps). */
    private Path folder(Phase phase, StepUse use) {
        int index = -1;
        for (int i = 0; i < phase.steps().size(); i++) {
            if (phase.steps().get(i) == use) {
                index = i;
                break;
            }
        }
        if (index < 0) {
            throw new IllegalArgumentException(use.label() + " is not a step of phase " + phase.name().id());
        }
        return root.resolve(phase.name().id() + "-" + (index + 1));
    }

    private static FileAttribute<?> ownerOnly() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    @Override
    public String toString() {
        return "StepHandoff[" + root + "]";
    }
}

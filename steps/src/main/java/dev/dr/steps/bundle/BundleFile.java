package dev.dr.steps.bundle;

import dev.dr.steps.bundle.Bundle.Layout;
import java.util.Objects;

/**
 * One file of a bundle as its manifest lists it.
 *
 * @param path   relative to {@code control-plane/}, {@code /}-separated, e.g. {@code alerts/rules.yaml}
 * @param sha256 64 lower-case hex digits
 * @param size   bytes
 */
public record BundleFile(String path, String sha256, long size) {
    public BundleFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        if (!Layout.isSha256(sha256)) {
            throw new IllegalArgumentException(path + ": sha256 must be 64 lower-case hex digits, not " + sha256);
        }
        if (size < 0) {
            throw new IllegalArgumentException(path + ": negative size " + size);
        }
    }
}

package dev.dr.steps.bundle;

import java.io.IOException;

/**
 * A bundle refused: a source folder that cannot become a bundle, an archive that does not match
 * its pointer or its manifest, a manifest or pointer that is malformed, or a control plane that
 * cannot become ConfigMaps. The message says what and where; retrying cannot help.
 */
public final class BundleRefused extends IOException {
    public BundleRefused(String message) {
        super(message);
    }
}

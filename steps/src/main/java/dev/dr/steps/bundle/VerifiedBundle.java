package dev.dr.steps.bundle;

import java.nio.file.Path;

/**
 * A bundle extracted and checked against its pointer's SHA-256 and its own manifest.
 *
 * @param controlPlaneDir the extracted {@code control-plane/} folder
 * @param manifest        its manifest; every file in the folder is listed and matches
 * @param sha256          of the archive, lower-case hex
 */
public record VerifiedBundle(Path controlPlaneDir, Manifest manifest, String sha256) {}

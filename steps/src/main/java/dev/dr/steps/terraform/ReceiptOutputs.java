package dev.dr.steps.terraform;

import dev.dr.step.Secrets;
import dev.dr.step.StepFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Terraform's outputs as receipt outputs. A receipt is read by people and kept, so:
 *
 * <ul>
 *   <li>a sensitive output, or one whose name looks secret, is left out (the log says so);</li>
 *   <li>except {@code kubeconfig}: the later phases need it, as a path. Its content (sensitive
 *       or not) is written to {@code kubeconfig.yaml} in the step's work folder, readable by the
 *       owner only, and the receipt gets the path. A one-line, non-sensitive value is taken as
 *       a path already, relative to the terraform folder;</li>
 *   <li>anything else as its text: strings as they are, other values as compact JSON.</li>
 * </ul>
 */
final class ReceiptOutputs {
    static final String KUBECONFIG = "kubeconfig";

    private ReceiptOutputs() {}

    static Map<String, String> of(List<OutputValue> values, Path workFolder, Path terraformDir, Consumer<String> log)
            throws StepFailure {
        Map<String, String> out = new LinkedHashMap<>();
        for (OutputValue v : values) {
            if (v.name().equals(KUBECONFIG) && v.value().isString()) {
                String text = v.value().asString();
                if (!v.sensitive() && !text.contains("\n")) {
                    out.put(KUBECONFIG, terraformDir.resolve(text.strip()).toAbsolutePath().normalize().toString());
                    log.accept("output kubeconfig: " + out.get(KUBECONFIG));
                } else {
                    Path file = write(workFolder.resolve("kubeconfig.yaml"), text);
                    out.put(KUBECONFIG, file.toString());
                    log.accept("output kubeconfig: " + (v.sensitive() ? "(sensitive value)" : "its content")
                            + " written to " + file);
                }
            } else if (v.sensitive() || Secrets.isSecretName(v.name())) {
                log.accept("output " + v.name() + ": (sensitive value), kept out of the receipt");
            } else {
                out.put(v.name(), v.text());
                log.accept("output " + v.name() + " = " + v.text());
            }
        }
        return out;
    }

    /** Written beside, then moved into place: a reader never sees half a kubeconfig. */
    private static Path write(Path file, String text) throws StepFailure {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw StepFailure.permanent("cannot write the kubeconfig output to " + file + ": " + e.getMessage());
        }
    }
}

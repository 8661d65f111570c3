package dev.dr.steps;

import dev.dr.step.AtomicFiles;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files the runbook's section H names, at the paths it names, relative to the run's
 * receipt folder ({@link StepContext#receiptDir()}), beside dr's own receipts: operators and
 * their scripts find them where they always did. JSON has sorted keys and a final newline;
 * times are UTC ISO-8601; every file is written atomically.
 */
public final class RunbookReceipts {
    /** The bringup's kubeconfig, where the runbook's restore-only and validate-only runs load it. */
    public static final String KUBECONFIG = "kubeconfig.yaml";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).enable(SerializationFeature.INDENT_OUTPUT).build();

    private RunbookReceipts() {}

    /** Writes {@code facts} as JSON, keys sorted, to {@code relative} in the receipt folder. */
    public static Path json(StepContext ctx, String relative, Map<String, ?> facts) throws StepFailure {
        return json(ctx.receiptDir(), relative, facts);
    }

    /** The same in {@code dir}, for a command that has a receipt folder but no step context. */
    public static Path json(Path dir, String relative, Map<String, ?> facts) throws StepFailure {
        return write(dir.resolve(relative), JSON.writeValueAsString(new TreeMap<>(facts)) + "\n");
    }

    /**
     * Writes {@code facts} as {@code KEY=value} lines, keys sorted, each value single-quoted
     * so that {@code . file} in a shell gives back exactly the value.
     */
    public static Path env(StepContext ctx, String relative, SortedMap<String, String> facts) throws StepFailure {
        StringBuilder b = new StringBuilder();
        facts.forEach((k, v) -> {
            if (!k.matches("[A-Z_][A-Z0-9_]*")) {
                throw new IllegalArgumentException("not a shell variable name: " + k);
            }
            b.append(k).append('=').append(shellQuote(v)).append('\n');
        });
        return write(ctx, relative, b.toString());
    }

    /** {@code 'value'}, a {@code '} inside written as {@code '\''}. */
    public static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Appends one line to {@code relative} in the receipt folder (a log the runbook names). */
    public static void append(StepContext ctx, String relative, String line) throws StepFailure {
        Path file = ctx.receiptDir().resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw StepFailure.permanent("cannot write " + file + ": " + e.getMessage());
        }
    }

    /**
     * Copies the kubeconfig at {@code source} to {@code <receipt>/kubeconfig.yaml}: a credential,
     * so the copy is readable by the owner only from its first byte, and moved into place whole.
     * Its content is never logged.
     */
    public static Path kubeconfig(StepContext ctx, Path source) throws StepFailure {
        Path file = ctx.receiptDir().resolve(KUBECONFIG);
        try {
            Files.createDirectories(file.getParent());
            Path tmp;
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                tmp = Files.createTempFile(file.getParent(), "." + KUBECONFIG, ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                tmp = Files.createTempFile(file.getParent(), "." + KUBECONFIG, ".tmp");
            }
            try {
                // into the owner-only file created above (a copy onto it would take the default mode)
                try (var out = Files.newOutputStream(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    Files.copy(source, out);
                }
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw StepFailure.permanent("cannot copy the kubeconfig to " + file + ": " + e.getMessage());
        }
    }

    private static Path write(StepContext ctx, String relative, String content) throws StepFailure {
        return write(ctx.receiptDir().resolve(relative), content);
    }

    private static Path write(Path file, String content) throws StepFailure {
        try {
            AtomicFiles.write(file, content);
            return file;
        } catch (IOException e) {
            throw StepFailure.permanent("cannot write " + file + ": " + e.getMessage());
        }
    }
}

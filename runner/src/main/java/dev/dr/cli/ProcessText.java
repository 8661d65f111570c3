package dev.dr.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The command line and environment as the operator typed them, whatever the locale.
 *
 * <p>The JVM decodes both with the locale's charset, which is US-ASCII under {@code LC_ALL=C}
 * (most containers and CI images): {@code DR_OPERATOR=Işıl} would reach dr as {@code I����l}
 * and land in the receipts so. Shells pass the bytes through untouched, and they are UTF-8 on
 * every system dr supports, so where the JVM lost characters they are read again from what
 * Linux keeps of the process ({@code /proc/self/environ}, {@code /proc/self/cmdline}). Where that
 * is not possible the caller refuses rather than run with damaged text.
 */
final class ProcessText {

    /** What the JVM puts where it could not decode a byte. */
    private static final char LOST = '\uFFFD';

    private ProcessText() {}

    /** The environment, read again as UTF-8 where the JVM lost characters of a value. */
    static Map<String, String> environment(Map<String, String> decoded, Path environFile) {
        if (decoded.values().stream().noneMatch(ProcessText::lost) && decoded.keySet().stream().noneMatch(ProcessText::lost)) {
            return decoded;
        }
        Optional<List<String>> entries = nulSeparated(environFile);
        if (entries.isEmpty()) {
            return decoded;
        }
        Map<String, String> env = new TreeMap<>();
        for (String entry : entries.get()) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        // The same variables, or the file is not this process's environment as the JVM read it.
        return env.keySet().size() == decoded.size() ? Collections.unmodifiableMap(env) : decoded;
    }

    /**
     * The arguments, read again as UTF-8 where the JVM lost characters; empty when they cannot
     * be recovered. The program's arguments are the last entries of the command line, after the
     * JVM's options and the main class.
     */
    static Optional<List<String>> arguments(List<String> decoded, Path cmdlineFile) {
        if (decoded.stream().noneMatch(ProcessText::lost)) {
            return Optional.of(decoded);
        }
        Optional<List<String>> all = nulSeparated(cmdlineFile);
        if (all.isEmpty() || all.get().size() < decoded.size()) {
            return Optional.empty();
        }
        List<String> tail = new ArrayList<>(all.get().subList(all.get().size() - decoded.size(), all.get().size()));
        for (int i = 0; i < decoded.size(); i++) {
            // Arguments the JVM read whole must be the same text: otherwise these are not dr's.
            if (!lost(decoded.get(i)) && !decoded.get(i).equals(tail.get(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(tail));
    }

    static boolean lost(String s) {
        return s.indexOf(LOST) >= 0;
    }

    /** The entries of a NUL-separated file in strict UTF-8; empty when it cannot be read so. */
    private static Optional<List<String>> nulSeparated(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            List<String> entries = new ArrayList<>(List.of(text.split("\0", -1)));
            if (!entries.isEmpty() && entries.get(entries.size() - 1).isEmpty()) {
                entries.remove(entries.size() - 1);
            }
            return Optional.of(entries);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }
}

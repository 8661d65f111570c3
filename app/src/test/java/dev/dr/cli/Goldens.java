package dev.dr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Golden files of the documents dr prints (plan-diffs, tickets, state machines, dr diff):
 * compared byte for byte, rewritten by {@code -Ddr.updateGoldens=true} after an intended change,
 * and the far time zone and Turkish locale that prove the bytes do not depend on the machine.
 */
public final class Goldens {

    /** Environment of a fresh JVM in a far time zone and the Turkish locale. */
    public static final Map<String, String> FOREIGN_ENV =
            Map.of("TZ", "Pacific/Chatham", "LANG", "tr_TR.UTF-8", "LC_ALL", "tr_TR.UTF-8");

    /** JVM options of the same: time zone, locale and a default charset other than UTF-8. */
    public static final List<String> FOREIGN_JVM = List.of("-Duser.timezone=Pacific/Chatham", "-Duser.language=tr",
            "-Duser.country=TR", "-Dfile.encoding=ISO-8859-9");

    private Goldens() {}

    /** True when the run was asked to rewrite the golden files. */
    public static boolean updating() {
        return Boolean.getBoolean("dr.updateGoldens");
    }

    /** Asserts that {@code actual} is the golden file's text, after rewriting it when {@link #updating()}. */
    public static void assertMatches(Path golden, String actual) throws IOException {
        if (updating()) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("golden file; run mvn verify -Ddr.updateGoldens=true after an intended change").exists();
        assertThat(actual).as("the golden file %s", golden.getFileName()).isEqualTo(read(golden));
    }

    /** The golden file's text. */
    public static String read(Path golden) throws IOException {
        return Files.readString(golden, StandardCharsets.UTF_8);
    }
}

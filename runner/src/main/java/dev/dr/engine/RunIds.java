package dev.dr.engine;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Run ids: {@code RUN_ID} from the environment (as the runbook sets it), or
 * {@code <plan>-<UTC yyyyMMdd'T'HHmmss'Z'>-<4 hex>}, which sorts by time and does not collide.
 */
public final class RunIds {
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private RunIds() {}

    public static String next(String planName, Map<String, String> env, Clock clock) {
        String given = env.get("RUN_ID");
        if (given != null && !given.isBlank()) {
            if (!given.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
                throw new IllegalArgumentException("RUN_ID must be letters, digits, '.', '_' and '-', was '" + given + "'");
            }
            return given;
        }
        byte[] b = new byte[2];
        new SecureRandom().nextBytes(b);
        return planName + "-" + STAMP.format(clock.instant()) + "-" + HexFormat.of().formatHex(b);
    }
}

package dev.dr.step;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The plan language's durations: {@code 15s}, {@code 2m}, {@code 1h30m}, {@code 500ms}. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:ms|s|m|h))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h)");

    private Durations() {}

    public static boolean isValid(String s) {
        return s != null && WHOLE.matcher(s).matches();
    }

    public static Duration parse(String s) {
        if (!isValid(s)) {
            throw new IllegalArgumentException("expected a duration such as 15s, 2m or 1h30m, was '" + s + "'");
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(s);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        return d;
    }

    /** Renders without locale and without trailing zero units: {@code 1h0m45s}, {@code 2m}, {@code 4h}, {@code 15s}, {@code 250ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms == 0 ? "0s" : ms + "ms";
        }
        long h = ms / 3_600_000;
        long m = (ms / 60_000) % 60;
        long rest = ms % 60_000;
        String s = rest == 0 ? "" : seconds(rest);
        if (h > 0) {
            return h + "h" + (m == 0 && rest == 0 ? "" : m + "m") + s;
        }
        return m > 0 ? m + "m" + s : seconds(rest);
    }

    private static String seconds(long ms) {
        long whole = ms / 1000;
        long frac = ms % 1000;
        if (frac == 0) {
            return whole + "s";
        }
        String f = String.format(java.util.Locale.ROOT, "%03d", frac).replaceAll("0+$", "");
        return whole + "." + f + "s";
    }
}

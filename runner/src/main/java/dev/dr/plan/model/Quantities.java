package dev.dr.plan.model;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities, enough to compare a limit with its request. The preview
 * path must not load fabric8, so this does not use its Quantity class.
 */
public final class Quantities {
    private static final Pattern CPU = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m?)");
    private static final Pattern MEMORY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Map<String, BigDecimal> MEMORY_UNITS = Map.of(
            "", BigDecimal.ONE,
            "k", BigDecimal.valueOf(1000), "M", BigDecimal.valueOf(1000_000), "G", BigDecimal.valueOf(1000_000_000L),
            "T", BigDecimal.valueOf(1000_000_000_000L),
            "Ki", BigDecimal.valueOf(1L << 10), "Mi", BigDecimal.valueOf(1L << 20), "Gi", BigDecimal.valueOf(1L << 30),
            "Ti", BigDecimal.valueOf(1L << 40));

    private Quantities() {}

    /** CPU in cores, or null if {@code s} is not a CPU quantity. */
    public static BigDecimal cpu(String s) {
        Matcher m = s == null ? null : CPU.matcher(s);
        if (m == null || !m.matches()) {
            return null;
        }
        BigDecimal v = new BigDecimal(m.group(1));
        return m.group(2).isEmpty() ? v : v.movePointLeft(3);
    }

    /** Memory in bytes, or null if {@code s} is not a memory quantity. */
    public static BigDecimal memory(String s) {
        Matcher m = s == null ? null : MEMORY.matcher(s);
        if (m == null || !m.matches()) {
            return null;
        }
        String unit = m.group(2) == null ? "" : m.group(2);
        return new BigDecimal(m.group(1)).multiply(MEMORY_UNITS.get(unit));
    }
}

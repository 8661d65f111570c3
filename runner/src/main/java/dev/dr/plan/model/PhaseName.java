package dev.dr.plan.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The phases dr knows, in lifecycle order. A plan lists its phases in this order, and a
 * plan that extends another gets the merged phases in this order too: publishing happens on
 * primary before a drill, failback comes after promote and before teardown.
 */
public enum PhaseName {
    PUBLISH_BUNDLE("publish-bundle"),
    BRINGUP("bringup"),
    RESTORE("restore"),
    VALIDATE("validate"),
    PROMOTE("promote"),
    FAILBACK("failback"),
    TEARDOWN("teardown");

    private final String id;

    PhaseName(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static PhaseName of(String id) {
        for (PhaseName p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown phase '" + id + "'; expected one of " + ids());
    }

    public static boolean isKnown(String id) {
        return Arrays.stream(values()).anyMatch(p -> p.id.equals(id));
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(PhaseName::id).toList();
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}

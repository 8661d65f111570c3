package dev.dr.aws.guard;

import java.util.Objects;

/**
 * The verdict of one preflight guard.
 *
 * @param name   the guard, as the plan-diff names it (account, region, image-digest, instance-arch)
 * @param ok     true only when the check was made and passed: a guard that could not look is not ok
 * @param detail what was seen, e.g. "caller account 111122223333, plan says 048622080012"
 */
public record GuardResult(String name, boolean ok, String detail) {
    public GuardResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    static GuardResult ok(String name, String detail) {
        return new GuardResult(name, true, detail);
    }

    static GuardResult refused(String name, String detail) {
        return new GuardResult(name, false, detail);
    }
}

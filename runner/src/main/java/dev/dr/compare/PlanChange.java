package dev.dr.compare;

import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * One change in behaviour between two revisions of a plan, as {@code dr diff} shows it (not
 * {@link dev.dr.step.Change}, a change a step makes).
 *
 * @param phase  the phase it belongs to, or null
 * @param step   the step (its name, with #2, #3... for a repeated name in one phase), or null
 * @param guard  the guard's name, or null
 * @param field  what changed, as a dotted path (run.stopAfter, retry.maxAttempts, with.path), or empty
 *               for a whole phase, step or guard added or removed
 * @param before the old value (masked as the plan-diff masks it), or JSON null
 * @param after  the new value, or JSON null
 * @param loud   true for a change of where the drill runs (account, region, namespace, environment)
 * @param detail a consequence in words (the steps a phase now runs), or empty
 */
public record PlanChange(Section section, Kind change, String phase, String step, String guard, String field,
                     JsonNode before, JsonNode after, boolean loud, String detail) {

    /** The parts of a plan, in the order a diff lists them. */
    public enum Section {
        TARGET("target"), PLAN("plan"), INPUTS("inputs"), RUN("run"), SIZING("sizing"), VARIABLES("variables"),
        PHASES("phases"), STEPS("steps"), GUARDS("guards");

        private final String id;

        Section(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public enum Kind {
        ADDED("added"), REMOVED("removed"), CHANGED("changed"), REORDERED("reordered");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    public PlanChange {
        Objects.requireNonNull(section, "section");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(field, "field");
        before = before == null ? NullNode.getInstance() : before;
        after = after == null ? NullNode.getInstance() : after;
        detail = detail == null ? "" : detail;
        if (change == Kind.ADDED && !before.isNull() || change == Kind.REMOVED && !after.isNull()) {
            throw new IllegalArgumentException("an added change has no before, a removed one no after");
        }
    }

    static PlanChange field(Section section, String phase, String step, String field, JsonNode before, JsonNode after) {
        return new PlanChange(section, Kind.CHANGED, phase, step, null, field, before, after, section == Section.TARGET, "");
    }
}

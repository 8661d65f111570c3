package dev.dr.step;

/** How far a step's preview can be trusted; the plan-diff says which, per step. */
public enum PreviewKind {
    /** The preview lists exactly what apply will change. */
    EXACT("exact"),
    /** The preview gives sizes or counts that apply may differ from. */
    ESTIMATED("estimated"),
    /** The preview cannot see what apply will do (it waits, or runs a program). */
    OPAQUE("opaque");

    private final String id;

    PreviewKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static PreviewKind of(String id) {
        for (PreviewKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown preview kind '" + id + "'; expected exact, estimated or opaque");
    }
}

package dev.dr.compare;

import dev.dr.plan.load.LoadedPlan;
import java.util.Objects;
import java.util.Optional;

/**
 * One side of a comparison: a plan file as loaded, or no plan at all (a plan that is new, or
 * removed, at a git revision).
 *
 * @param file     the plan file as the user named it
 * @param revision the git revision the file was read at, or empty for the working tree
 * @param loaded   the loaded plan, or empty when the file does not exist on this side
 */
public record PlanSide(String file, Optional<String> revision, Optional<LoadedPlan> loaded) {

    public PlanSide {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(loaded, "loaded");
        if (loaded.isPresent() && loaded.get().plan().isEmpty()) {
            throw new IllegalArgumentException("an invalid plan cannot be compared: " + file);
        }
    }

    public static PlanSide of(String file, LoadedPlan loaded) {
        return new PlanSide(file, Optional.empty(), Optional.of(loaded));
    }

    public static PlanSide atRevision(String file, String revision, LoadedPlan loaded) {
        return new PlanSide(file, Optional.of(revision), Optional.of(loaded));
    }

    /** The file has no version on this side: new at the revision, or removed from the working tree. */
    public static PlanSide absent(String file, Optional<String> revision) {
        return new PlanSide(file, revision, Optional.empty());
    }

    public boolean exists() {
        return loaded.isPresent();
    }
}

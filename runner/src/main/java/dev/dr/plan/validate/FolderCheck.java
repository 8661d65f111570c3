package dev.dr.plan.validate;

import dev.dr.catalog.StepCatalog;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.model.Phase;
import dev.dr.plan.model.Plan;
import dev.dr.plan.model.StepUse;
import dev.dr.source.NodePath;
import dev.dr.source.Problem;
import dev.dr.step.StepInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * The folders a plan names ({@code with.dir} of terraform.apply, {@code with.path} of
 * k8s.apply, ... : every setting a step lists in {@link StepInfo#folders()}) must exist, relative
 * to the working directory, for the phases that run: a missing one is reported at the plan's
 * file:line:column of that setting, before anything runs, not found by the step at apply.
 *
 * <p>It is not part of the plan's validation proper: the same plan is valid wherever it is read
 * (dr lint in a pull request's checks, dr compile), while its folders exist only in the
 * repository it runs from. Skipped phases are not checked: their folders are not needed by this run.
 */
public final class FolderCheck {
    private FolderCheck() {}

    /**
     * @param running   the phases that run (the planner's decision)
     * @param resolve   a plan's relative folder against the working directory
     * @param severity  error for dr apply, warning for dr plan
     */
    public static List<Problem> missing(LoadedPlan loaded, List<Phase> running, StepCatalog steps,
                                        Function<String, Path> resolve, Problem.Severity severity) {
        Plan plan = loaded.plan().orElseThrow();
        List<Problem> out = new ArrayList<>();
        for (Phase phase : running) {
            int phaseIndex = indexOf(plan.phases(), phase);
            for (int j = 0; j < phase.steps().size(); j++) {
                StepUse use = phase.steps().get(j);
                StepInfo info = steps.find(use.uses());
                if (info == null) {
                    continue;
                }
                for (String setting : info.folders()) {
                    JsonNode value = use.with().get(setting);
                    if (value == null || !value.isString() || value.asString().isBlank()) {
                        continue; // the schema requires it where it must be set
                    }
                    Path folder = resolve.apply(value.asString()).normalize();
                    if (Files.isDirectory(folder)) {
                        continue;
                    }
                    NodePath at = NodePath.of("phases", phaseIndex, "steps", j, "with", setting);
                    String shown = loaded.sensitive().contains(at) ? "(sensitive value)" : "'" + value.asString() + "'";
                    String what = info.withSchema().path("properties").path(setting).path("description").asString("a folder");
                    out.add(new Problem(Problem.Kind.SEMANTIC, severity, loaded.where().apply(at).value(), at,
                            "no folder " + shown + (Files.exists(folder) ? " (it is a file)" : "") + " in the working directory "
                                    + resolve.apply(".").normalize() + "; " + info.name() + " of phase " + phase.name().id()
                                    + " expects: " + what + " Run dr from the root of the repository that holds it."));
                }
            }
        }
        return out;
    }

    private static int indexOf(List<Phase> phases, Phase phase) {
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i) == phase) {
                return i;
            }
        }
        return phases.indexOf(phase);
    }
}

package dev.dr.steps.terraform;

import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code terraform.destroy}: plan the destruction of everything in the state of
 * {@code with.dir} into a saved plan, log it, and apply exactly that plan. Live, the preview is
 * the list of resources it would delete.
 */
public final class TerraformDestroyStep extends DescribedStep {
    private final Map<String, String> env;

    public TerraformDestroyStep() {
        this(System.getenv());
    }

    /** @param env where PATH and the runbook's TF_BACKEND_* variables are read */
    TerraformDestroyStep(Map<String, String> env) {
        super("terraform.destroy");
        this.env = Map.copyOf(env);
    }

    /** Its preview plans the folder the plan names against that folder's state: no earlier run needed. */
    @Override
    public boolean previewNeedsEarlierRun() {
        return false;
    }

    /** The runbook's remote backend, and the TF_VAR_* terraform takes from the environment dr passes on. */
    @Override
    public List<String> environment() {
        return TerraformWork.ENVIRONMENT;
    }

    @Override
    public Optional<List<Change>> preview(StepContext ctx) throws StepFailure, InterruptedException {
        return TerraformWork.preview(ctx, env, true);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        return TerraformWork.apply(ctx, env, true);
    }
}

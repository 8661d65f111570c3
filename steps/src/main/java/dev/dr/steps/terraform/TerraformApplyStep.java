package dev.dr.steps.terraform;

import dev.dr.step.Change;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import dev.dr.steps.RunbookReceipts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code terraform.apply}: plan the folder {@code with.dir} into a saved plan, log what it
 * changes, apply exactly that plan, and put the outputs (kubeconfig as a file, public IP) into
 * the receipt, the kubeconfig also at the runbook's {@code <receipt>/kubeconfig.yaml}. Live, the preview is the plan's resource changes;
 * in dr apply that very plan is saved and applied (see {@link TerraformWork}).
 */
public final class TerraformApplyStep extends DescribedStep {
    private final Map<String, String> env;

    public TerraformApplyStep() {
        this(System.getenv());
    }

    /** @param env where PATH and the runbook's TF_BACKEND_* variables are read */
    TerraformApplyStep(Map<String, String> env) {
        super("terraform.apply");
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
        return TerraformWork.preview(ctx, env, false);
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        StepResult r = TerraformWork.apply(ctx, env, false);
        String kubeconfig = r.outputs().get(ReceiptOutputs.KUBECONFIG);
        if (kubeconfig != null && Files.isRegularFile(Path.of(kubeconfig))) {
            // where the runbook's later runs load it from: <bringup receipt>/kubeconfig.yaml
            ctx.log("kubeconfig copied to " + RunbookReceipts.kubeconfig(ctx, Path.of(kubeconfig)));
        }
        return r;
    }
}

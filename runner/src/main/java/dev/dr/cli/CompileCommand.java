package dev.dr.cli;

import dev.dr.catalog.StepCatalog;
import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.compile.AslJson;
import dev.dr.compile.CompileOptions;
import dev.dr.compile.StateMachineCompiler;
import dev.dr.compile.TerraformSnippet;
import dev.dr.compile.Worker;
import dev.dr.plan.load.LoadedPlan;
import dev.dr.plan.load.Overrides;
import dev.dr.plan.load.PlanLoader;
import dev.dr.plan.model.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * {@code dr compile --target stepfunctions FILE}: the plan as an Amazon States Language state
 * machine whose tasks run {@code dr apply FILE --phase NAME} on a worker (docs/compile.md);
 * {@code --target stepfunctions-terraform} wraps it in Terraform with its EventBridge triggers.
 * Prints the result on stdout and changes nothing.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile a plan into an AWS Step Functions state machine (Amazon States Language JSON) that runs each"
                + " phase as dr apply FILE --phase NAME on a CodeBuild or ECS worker, with the plan's boundaries, retry"
                + " budgets and promote gate. Changes nothing.",
                "The override flags (--auto-promote, --teardown, ...) are compiled in: every worker repeats them."},
        footer = {"", "Examples:",
                "  dr compile --target stepfunctions plans/validate-only.yaml > validate-only.asl.json",
                "  dr compile --target stepfunctions plans/full-drill.yaml --auto-promote true \\",
                "    --approval-topic-arn arn:aws:sns:us-east-1:048622080012:dr-approvals",
                "  dr compile --target stepfunctions plans/restore-only.yaml --worker ecs --ecs-cluster dr \\",
                "    --ecs-task-definition dr-worker --ecs-subnet subnet-11001d5c",
                "  dr compile --target stepfunctions-terraform plans/full-drill.yaml > orchestrator.tf"})
final class CompileCommand implements Callable<Integer> {

    /** What compile emits. */
    enum Target {
        STEPFUNCTIONS("stepfunctions"), STEPFUNCTIONS_TERRAFORM("stepfunctions-terraform");

        final String id;

        Target(String id) {
            this.id = id;
        }
    }

    /** Where a phase runs. */
    enum WorkerKind { codebuild, ecs }

    static final class TargetConverter implements CommandLine.ITypeConverter<Target> {
        @Override
        public Target convert(String value) {
            for (Target t : Target.values()) {
                if (t.id.equals(value)) {
                    return t;
                }
            }
            throw new CommandLine.TypeConversionException("unknown target '" + value
                    + "'; expected stepfunctions or stepfunctions-terraform");
        }
    }

    private final Context ctx;

    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file.")
    String file;

    @Option(names = "--target", required = true, paramLabel = "TARGET", converter = TargetConverter.class,
            description = "stepfunctions (Amazon States Language JSON) or stepfunctions-terraform (HCL).")
    Target target;

    @Option(names = "--worker", paramLabel = "KIND", defaultValue = "codebuild",
            description = "codebuild (default: CodeBuild startBuild.sync) or ecs (ECS RunTask.sync on Fargate).")
    WorkerKind worker;

    @Option(names = "--codebuild-project", paramLabel = "NAME", defaultValue = "dr-worker",
            description = "The CodeBuild project of the worker (default: ${DEFAULT-VALUE}).")
    String codebuildProject;

    @Option(names = "--ecs-cluster", paramLabel = "CLUSTER", description = "With --worker ecs: the cluster.")
    String ecsCluster;

    @Option(names = "--ecs-task-definition", paramLabel = "FAMILY[:REV]", description = "With --worker ecs: the task definition.")
    String ecsTaskDefinition;

    @Option(names = "--ecs-container", paramLabel = "NAME", defaultValue = "dr",
            description = "With --worker ecs: the container that runs dr (default: ${DEFAULT-VALUE}).")
    String ecsContainer;

    @Option(names = "--ecs-subnet", paramLabel = "SUBNET", description = "With --worker ecs: a subnet of the task (repeatable).")
    List<String> ecsSubnets = new ArrayList<>();

    @Option(names = "--ecs-security-group", paramLabel = "SG", description = "With --worker ecs: a security group (repeatable).")
    List<String> ecsSecurityGroups = new ArrayList<>();

    @Option(names = "--approval-topic-arn", paramLabel = "ARN",
            description = "The SNS topic the promote gate publishes its approval request to (needed when promote runs"
                    + " with an approval).")
    String approvalTopicArn;

    @Option(names = "--dr-command", paramLabel = "CMD", defaultValue = "dr",
            description = "How the worker calls dr, e.g. './jbang dr' (default: ${DEFAULT-VALUE}).")
    String drCommand;

    @Option(names = "--receipt-bucket", paramLabel = "BUCKET", defaultValue = "",
            description = "The bucket every worker uploads its receipts to, at s3://BUCKET/PREFIX/<execution name>/"
                    + " (the execution input's receiptBucket wins; none: no upload unless the input names one)."
                    + " Terraform's receipt_bucket.")
    String receiptBucket;

    @Option(names = "--receipt-prefix", paramLabel = "PREFIX", defaultValue = CompileOptions.DEFAULT_RECEIPT_PREFIX,
            description = "The key prefix of the receipts in that bucket (default: ${DEFAULT-VALUE}). Terraform's"
                    + " receipt_prefix.")
    String receiptPrefix;

    @Mixin
    OverrideOptions overrides;

    CompileCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        Overrides given;
        CompileOptions options;
        try {
            given = overrides.toOverrides(ctx.env(), ctx.cwd());
            // Terraform gives the gate's topic as a variable: the ARN may be left to it
            Optional<String> topic = Optional.ofNullable(approvalTopicArn)
                    .or(() -> target == Target.STEPFUNCTIONS_TERRAFORM ? Optional.of(TerraformSnippet.TOPIC_PLACEHOLDER)
                            : Optional.empty());
            options = new CompileOptions(worker(), drCommand, topic, overrides.optInFlags(), given.attemptCap(),
                    receiptBucket, receiptPrefix);
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput(e.getMessage()).as("dr compile");
        }
        StepCatalog steps = StepCatalog.load(CompileCommand.class.getClassLoader());
        String display = PlanCommand.display(file);
        LoadedPlan loaded = new PlanLoader(steps).load(ctx.resolve(file), display, ctx.env(), given);
        if (loaded.plan().isEmpty()) {
            ProblemPrinter.print(ctx.err(), loaded.problems());
            ctx.err().println("dr: " + display + " is invalid (" + loaded.errors().size() + " "
                    + (loaded.errors().size() == 1 ? "error" : "errors") + "); nothing was compiled");
            return ExitCodes.INVALID;
        }
        ProblemPrinter.print(ctx.err(), loaded.warnings());
        ProblemPrinter.printUnreadVariables(ctx, loaded, dev.dr.diff.Planner.decide(loaded.plan().orElseThrow()), steps);
        if (loaded.onlyGuardsRefused()) {
            ProblemPrinter.print(ctx.err(), loaded.errors());
            throw ExitException.guardRefused("a guard refused this plan; nothing was compiled");
        }
        Plan plan = loaded.plan().get();
        StateMachineCompiler.Compiled compiled;
        try {
            compiled = StateMachineCompiler.compile(plan, options);
        } catch (IllegalArgumentException e) {
            ctx.err().println("dr compile: " + e.getMessage() + "; nothing was compiled");
            return ExitCodes.INVALID;
        }
        for (String note : compiled.notes()) {
            ctx.err().println("dr: warning: " + note);
        }
        // the Terraform sets some of them in every worker's environment from its variables
        List<String> unset = loaded.unset().stream().filter(v -> target == Target.STEPFUNCTIONS
                || !TerraformSnippet.WORKER_ENV.containsKey(v)).toList();
        if (!unset.isEmpty()) {
            ctx.err().println("dr: the workers must set " + String.join(", ", unset)
                    + ": the plan reads them and they are not set here");
        }
        String asl = AslJson.write(compiled.definition());
        String text;
        try {
            text = target == Target.STEPFUNCTIONS ? asl : TerraformSnippet.render(plan, display, asl,
                    StateMachineCompiler.hasGate(plan) ? options.approvalTopicArn() : Optional.empty(), approvalTopicArn != null,
                    options);
        } catch (IllegalArgumentException e) {
            ctx.err().println("dr compile: " + e.getMessage() + "; nothing was compiled");
            return ExitCodes.INVALID;
        }
        ctx.out().print(text);
        ctx.out().flush();
        return ExitCodes.OK;
    }

    private Worker worker() {
        if (worker == WorkerKind.ecs) {
            return new Worker.Ecs(ecsCluster, ecsTaskDefinition, ecsContainer, ecsSubnets, ecsSecurityGroups);
        }
        if (ecsCluster != null || ecsTaskDefinition != null || !ecsSubnets.isEmpty() || !ecsSecurityGroups.isEmpty()) {
            throw new IllegalArgumentException("--ecs-* options only go with --worker ecs");
        }
        return new Worker.CodeBuild(codebuildProject);
    }
}

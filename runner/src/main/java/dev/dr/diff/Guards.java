package dev.dr.diff;

import dev.dr.diff.PlanDiff.GuardVerdict;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guards apply will check before its first mutation, with the verdict known offline:
 * {@code ok} or {@code refused} where the plan alone decides, {@code at-apply} where dr apply
 * checks live state (the AWS account, region, image and runner architecture, the lock, the
 * approval gate, the runner count of teardown), {@code not-applicable}, and
 * {@code not-checked-yet} for what this release does not check. Live verdicts of the AWS
 * guards are laid over the plan-diff with {@link PlanDiff#withLiveVerdicts}; they stay out of its planDigest,
 * which says what would change, not who asks (a caller's session differs from day to day).
 */
public final class Guards {

    /** The guards checked against AWS itself. */
    public static final java.util.Set<String> AWS = java.util.Set.of("account", "region", "image-digest", "instance-arch");

    /** A guard's live verdict. */
    public record Verdict(boolean ok, String detail) {}

    /**
     * The document the planDigest is taken of: without the verdict and detail of the AWS guards,
     * which say who asks (checked live by dr apply) rather than what the plan would change.
     */
    public static ObjectNode forDigest(ObjectNode diff) {
        ObjectNode out = diff.deepCopy();
        out.remove("planDigest");
        for (tools.jackson.databind.JsonNode g : out.path("guards")) {
            if (AWS.contains(g.get("name").asString())) {
                ((ObjectNode) g).remove("verdict");
                ((ObjectNode) g).remove("detail");
            }
        }
        return out;
    }

    /** A guard of the design that this release does not perform yet (it comes with the AWS gates). */
    static final GuardVerdict NOT_YET = GuardVerdict.NOT_CHECKED_YET;
    static final String SANDBOX = "sandbox target: no AWS account";

    private Guards() {}

    /**
     * @param refused what the plan's environment refused before any live check, by guard name
     *                (account: EXPECTED_ACCOUNT_ID differs from target.accountId; region: AWS_REGION)
     */
    static List<PlanDiff.Guard> offline(Plan plan, List<PhaseDecision> decisions, Shown shown,
                                        java.util.Map<String, String> refused) {
        Set<PhaseName> running = decisions.stream().filter(PhaseDecision::runs)
                .map(d -> d.phase().name()).collect(Collectors.toSet());
        List<PlanDiff.Guard> out = new java.util.ArrayList<>();
        boolean fullDrill = Planner.isFullDrill(plan);
        add(out, "full-drill-opt-in", "a full drill (bringup to teardown) needs allowFullDrill",
                !fullDrill ? GuardVerdict.NOT_APPLICABLE : plan.run().allowFullDrill() ? GuardVerdict.OK : GuardVerdict.REFUSED,
                !fullDrill ? "not a full drill" : "allowFullDrill is " + plan.run().allowFullDrill());
        if (running.isEmpty()) {
            return out;
        }
        String account = shown.of("target.accountId", plan.target().accountId());
        String region = shown.of("target.region", plan.target().region());
        String namespace = shown.of("target.namespace", plan.target().namespace());
        // The sandbox has no AWS account behind it; elsewhere the AWS guards are checked live
        // (by dr apply, and by dr plan with live previews), or say that they were not.
        boolean sandbox = "sandbox".equals(plan.target().environment());
        GuardVerdict aws = sandbox ? GuardVerdict.NOT_APPLICABLE : GuardVerdict.AT_APPLY;
        add(out, "account", "STS caller identity account is " + account, refused.containsKey("account")
                ? GuardVerdict.REFUSED : aws, refused.getOrDefault("account", sandbox ? SANDBOX : "sts:GetCallerIdentity"));
        add(out, "region", "AWS clients use region " + region, refused.containsKey("region") ? GuardVerdict.REFUSED : aws,
                refused.getOrDefault("region", sandbox ? SANDBOX : "client and profile region"));
        add(out, "lock", "no other drill holds " + account + "/" + region + "/" + namespace, GuardVerdict.AT_APPLY,
                "one drill at a time per account, region and namespace");
        add(out, "triggers-disabled", "orchestrator schedules and alarm actions stay disabled", sandbox ? aws : NOT_YET,
                sandbox ? SANDBOX : "enable_triggers=false unless the plan says otherwise");
        String image = shown.of("inputs.imageRef", plan.inputs().imageRef());
        if (running.contains(PhaseName.VALIDATE) || running.contains(PhaseName.PUBLISH_BUNDLE)
                || running.contains(PhaseName.RESTORE)) {
            boolean unset = image.isEmpty() || image.contains("(unset: ");
            add(out, "image-digest", "imageRef is digest-pinned and its manifest list has linux/amd64 and linux/arm64",
                    aws, sandbox ? SANDBOX : unset ? "imageRef is " + (image.isEmpty() ? "not set" : image) : "ecr:BatchGetImage for " + image);
        }
        if (running.contains(PhaseName.BRINGUP)) {
            add(out, "instance-arch", "instance type " + shown.of("sizing.instanceType", plan.sizing().instanceType())
                    + " is arm64", aws,
                    sandbox ? SANDBOX : "ec2:DescribeInstanceTypes");
        }
        if (running.contains(PhaseName.PROMOTE)) {
            add(out, "promote-approval", "promotion is approved with dr approve, or a drill bypass is recorded",
                    GuardVerdict.AT_APPLY, plan.run().allowPromoteBypass() ? "bypass recorded (allowPromoteBypass)" : "waits for dr approve");
        }
        if (running.contains(PhaseName.FAILBACK)) {
            add(out, "failback-confirmations", "two confirmations: FAILBACK, then CONFIRM-<dr_run_id>", GuardVerdict.AT_APPLY,
                    "typed at a prompt or given as --confirm1/--confirm2, even with --yes");
        }
        if (running.contains(PhaseName.TEARDOWN)) {
            add(out, "zero-runners", "after teardown no DR runner is left", GuardVerdict.AT_APPLY,
                    "the teardown phase's last step counts the runners and fails unless none is left");
        }
        return out;
    }

    private static void add(List<PlanDiff.Guard> out, String name, String check, GuardVerdict verdict, String detail) {
        out.add(new PlanDiff.Guard(name, check, verdict, detail));
    }
}

package dev.dr.diff;

import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The guards apply will check before its first mutation, with the verdict known offline:
 * {@code ok} or {@code refused} where the plan alone decides, {@code at-apply} where live
 * state (STS, ECR, EC2, the lock) is needed.
 */
final class Guards {
    private Guards() {}

    static ArrayNode offline(Plan plan, List<PhaseDecision> decisions, Shown shown) {
        Set<PhaseName> running = decisions.stream().filter(PhaseDecision::runs)
                .map(d -> d.phase().name()).collect(Collectors.toSet());
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        boolean fullDrill = Planner.isFullDrill(plan);
        add(out, "full-drill-opt-in", "a full drill (bringup to teardown) needs allowFullDrill",
                !fullDrill ? "not-applicable" : plan.run().allowFullDrill() ? "ok" : "refused",
                !fullDrill ? "not a full drill" : "allowFullDrill is " + plan.run().allowFullDrill());
        if (running.isEmpty()) {
            return out;
        }
        String account = shown.of("target.accountId", plan.target().accountId());
        String region = shown.of("target.region", plan.target().region());
        String namespace = shown.of("target.namespace", plan.target().namespace());
        add(out, "account", "STS caller identity account is " + account, "at-apply", "sts:GetCallerIdentity");
        add(out, "region", "AWS clients use region " + region, "at-apply", "client and profile region");
        add(out, "lock", "no other drill holds " + account + "/" + region + "/" + namespace, "at-apply",
                "one drill at a time per account, region and namespace");
        add(out, "triggers-disabled", "orchestrator schedules and alarm actions stay disabled", "at-apply",
                "enable_triggers=false unless the plan says otherwise");
        String image = shown.of("inputs.imageRef", plan.inputs().imageRef());
        if (running.contains(PhaseName.VALIDATE) || running.contains(PhaseName.PUBLISH_BUNDLE)
                || running.contains(PhaseName.RESTORE)) {
            boolean unset = image.isEmpty() || image.contains("(unset: ");
            add(out, "image-digest", "imageRef is digest-pinned and its manifest list has linux/amd64 and linux/arm64",
                    "at-apply", unset ? "imageRef is " + (image.isEmpty() ? "not set" : image) : "ecr:BatchGetImage for " + image);
        }
        if (running.contains(PhaseName.BRINGUP)) {
            add(out, "instance-arch", "instance type " + shown.of("sizing.instanceType", plan.sizing().instanceType())
                    + " is arm64", "at-apply",
                    "ec2:DescribeInstanceTypes");
        }
        if (running.contains(PhaseName.PROMOTE)) {
            add(out, "promote-approval", "promotion is approved with dr approve, or a drill bypass is recorded",
                    "at-apply", plan.run().allowPromoteBypass() ? "bypass recorded (allowPromoteBypass)" : "waits for dr approve");
        }
        if (running.contains(PhaseName.FAILBACK)) {
            add(out, "failback-confirmations", "two confirmations: FAILBACK, then CONFIRM-<dr_run_id>", "at-apply",
                    "typed at a prompt or given as --confirm1/--confirm2");
        }
        if (running.contains(PhaseName.TEARDOWN)) {
            add(out, "zero-runners", "after teardown no DR runner is left", "at-apply", "ec2:DescribeInstances by drill tags");
        }
        return out;
    }

    private static void add(ArrayNode out, String name, String check, String verdict, String detail) {
        ObjectNode g = out.addObject();
        g.put("name", name);
        g.put("check", check);
        g.put("verdict", verdict);
        g.put("detail", detail);
    }
}

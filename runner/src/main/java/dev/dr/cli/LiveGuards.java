package dev.dr.cli;

import dev.dr.aws.AwsClientRegistry;
import dev.dr.aws.AwsClients;
import dev.dr.aws.S3Settings;
import dev.dr.aws.guard.AwsGuards;
import dev.dr.aws.guard.GuardResult;
import dev.dr.diff.Guards;
import dev.dr.diff.PhaseDecision;
import dev.dr.plan.model.PhaseName;
import dev.dr.plan.model.Plan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The preflight guards checked against AWS itself, all at once (each waits on its own API):
 * the caller's account (sts:GetCallerIdentity), the region the operator's environment
 * resolves (what terraform inherits), the image's digest and platforms in ECR, and the
 * runner's architecture. Read-only clients, one per service for all the guards; the sandbox
 * has none of them.
 */
final class LiveGuards {
    private LiveGuards() {}

    /**
     * @param outputs receipt outputs of an earlier run; {@code aws.endpoint} there points the
     *                clients at a stand-in for AWS (tests)
     */
    static Map<String, Guards.Verdict> check(Plan plan, List<PhaseDecision> decisions, Map<String, String> outputs) {
        try (AwsClientRegistry clients = new AwsClientRegistry()) {
            return check(plan, decisions, outputs, clients);
        }
    }

    /** The same with the run's clients (shared with the step previews), which the caller closes. */
    static Map<String, Guards.Verdict> check(Plan plan, List<PhaseDecision> decisions, Map<String, String> outputs,
            AwsClientRegistry clients) {
        Set<PhaseName> running = decisions.stream().filter(PhaseDecision::runs).map(d -> d.phase().name())
                .collect(Collectors.toSet());
        if (running.isEmpty() || "sandbox".equals(plan.target().environment())) {
            return Map.of();
        }
        S3Settings settings = AwsClients.settings(outputs, Optional.of(plan.target().region()));
        Map<String, Function<AwsGuards, GuardResult>> checks = new LinkedHashMap<>();
        checks.put("account", g -> g.account(plan.target().accountId()));
        boolean image = running.contains(PhaseName.VALIDATE) || running.contains(PhaseName.RESTORE)
                || running.contains(PhaseName.PUBLISH_BUNDLE);
        if (image && !plan.inputs().imageRef().isEmpty()) {
            checks.put("image-digest", g -> g.imageDigest(plan.inputs().imageRef()));
        }
        if (running.contains(PhaseName.BRINGUP)) {
            checks.put("instance-arch", g -> g.instanceArch(plan.sizing().instanceType()));
        }
        Map<String, Guards.Verdict> out = new LinkedHashMap<>();
        out.put("region", region(plan.target().region(), settings));
        ExecutorService pool = Executors.newFixedThreadPool(checks.size(), r -> {
            Thread t = new Thread(r, "dr-guard");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<String, Future<GuardResult>> started = new LinkedHashMap<>();
            AwsGuards guards = new AwsGuards(settings, clients);
            checks.forEach((name, check) -> started.put(name, pool.submit(() -> check.apply(guards))));
            for (var e : started.entrySet()) {
                try {
                    GuardResult r = e.getValue().get();
                    out.put(e.getKey(), new Guards.Verdict(r.ok(), r.detail()));
                } catch (java.util.concurrent.ExecutionException ex) {
                    out.put(e.getKey(), new Guards.Verdict(false, "could not be checked: " + ex.getCause()));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    out.put(e.getKey(), new Guards.Verdict(false, "interrupted before it was checked"));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /** The plan value each guard checks, by path: a guard whose value is sensitive keeps its detail to itself. */
    private static final Map<String, String> CHECKS = Map.of("account", "target.accountId", "region", "target.region",
            "image-digest", "inputs.imageRef", "instance-arch", "sizing.instanceType");

    /**
     * The guards checked again right before a run's first change, with what the run has seen so
     * far (the reused and kept phases' outputs): each refusal as {@code guard: detail}, masked.
     */
    static List<String> refusedNow(dev.dr.plan.load.LoadedPlan loaded, List<PhaseDecision> decisions,
                                   Map<String, String> seen) {
        return masked(check(loaded.plan().orElseThrow(), decisions, seen), loaded).entrySet().stream()
                .filter(e -> !e.getValue().ok()).map(e -> e.getKey() + ": " + e.getValue().detail()).toList();
    }

    /**
     * The verdicts with the details of guards on sensitive plan values withheld: what AWS says
     * about a value (and its error messages) would print the value itself.
     */
    static Map<String, Guards.Verdict> masked(Map<String, Guards.Verdict> verdicts, dev.dr.plan.load.LoadedPlan loaded) {
        Map<String, Guards.Verdict> out = new LinkedHashMap<>();
        verdicts.forEach((name, v) -> {
            String path = CHECKS.get(name);
            boolean secret = path != null && loaded.sensitive().contains(dev.dr.source.NodePath.parse(path));
            out.put(name, secret ? new Guards.Verdict(v.ok(), "(details withheld: " + path + " is sensitive)") : v);
        });
        return out;
    }

    /**
     * dr's own clients always use the plan's region; what can differ is the region the
     * operator's environment gives the tools dr runs (terraform) and the SDK's chain.
     */
    private static Guards.Verdict region(String planRegion, S3Settings settings) {
        if (settings.endpoint().isPresent()) {
            return new Guards.Verdict(true, "clients use region " + planRegion + " as the plan says (stand-in endpoint)");
        }
        String env;
        try {
            env = DefaultAwsRegionProviderChain.builder().build().getRegion().id();
        } catch (SdkClientException | IllegalArgumentException none) {
            return new Guards.Verdict(true, "clients use region " + planRegion + " as the plan says; the environment sets none");
        }
        return env.equals(planRegion)
                ? new Guards.Verdict(true, "clients and the environment (AWS_REGION, profile) use region " + env + " as the plan says")
                : new Guards.Verdict(false, "the environment (AWS_REGION, profile) says region " + env + ", the plan says "
                        + planRegion + "; tools dr runs (terraform) would use " + env);
    }
}

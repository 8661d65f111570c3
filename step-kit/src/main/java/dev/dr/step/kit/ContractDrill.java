package dev.dr.step.kit;

import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a contract test runs the step: the phase that holds it, the plan's {@code inputs}, the
 * outputs of an earlier run that say where the test's servers are (a kubeconfig, {@code
 * s3.endpoint}; plans reach them through {@code run.fromReceipt}), the environment dr sees, and
 * any plan lines the phase needs besides the step (e.g. {@code run: autoPromote} for promote).
 *
 * @param runLines   extra keys of {@code run:}, as YAML text such as {@code "teardown: true"}
 * @param phaseLines extra keys of the phase, as YAML text such as {@code "timeout: 30s"}
 * @param applyArgs  arguments {@code dr apply PLAN --yes} needs besides those (a failback's confirmations)
 * @param workDir    the step's work folder when the contract calls it directly (a folder that cannot be
 *                   used, for a step that keeps files there); empty for a new folder beside the plan.
 *                   {@code dr apply} gives the step its run's folder, as always
 */
public record ContractDrill(String phase, Map<String, String> inputs, Map<String, String> earlierOutputs,
                            Map<String, String> env, List<String> runLines, List<String> phaseLines,
                            List<String> applyArgs, Optional<Path> workDir) {

    public ContractDrill {
        Objects.requireNonNull(phase, "phase");
        inputs = Map.copyOf(new TreeMap<>(inputs));
        earlierOutputs = Map.copyOf(earlierOutputs);
        env = Map.copyOf(env);
        runLines = List.copyOf(runLines);
        phaseLines = List.copyOf(phaseLines);
        applyArgs = List.copyOf(applyArgs);
        Objects.requireNonNull(workDir, "workDir");
    }

    /** A drill of one phase with no inputs, reaching its servers through {@code earlierOutputs}. */
    public static ContractDrill of(String phase, Map<String, String> earlierOutputs) {
        return new ContractDrill(phase, Map.of(), earlierOutputs, Map.of(), List.of(), List.of(), List.of(), Optional.empty());
    }

    public ContractDrill withInputs(Map<String, String> values) {
        return new ContractDrill(phase, values, earlierOutputs, env, runLines, phaseLines, applyArgs, workDir);
    }

    public ContractDrill withEnv(Map<String, String> values) {
        return new ContractDrill(phase, inputs, earlierOutputs, values, runLines, phaseLines, applyArgs, workDir);
    }

    public ContractDrill withRun(String... lines) {
        return new ContractDrill(phase, inputs, earlierOutputs, env, List.of(lines), phaseLines, applyArgs, workDir);
    }

    public ContractDrill withPhase(String... lines) {
        return new ContractDrill(phase, inputs, earlierOutputs, env, runLines, List.of(lines), applyArgs, workDir);
    }

    /** This drill with more outputs of the earlier run (e.g. where a further server is). */
    public ContractDrill withEarlierOutputs(Map<String, String> more) {
        Map<String, String> all = new TreeMap<>(earlierOutputs);
        all.putAll(more);
        return new ContractDrill(phase, inputs, all, env, runLines, phaseLines, applyArgs, workDir);
    }

    public ContractDrill withApplyArgs(String... args) {
        return new ContractDrill(phase, inputs, earlierOutputs, env, runLines, phaseLines, List.of(args), workDir);
    }

    public ContractDrill withWorkDir(Path dir) {
        return new ContractDrill(phase, inputs, earlierOutputs, env, runLines, phaseLines, applyArgs, Optional.of(dir));
    }
}

package dev.dr.steps.terraform;

import dev.dr.step.Secrets;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a terraform step runs with, checked before terraform is looked for, so that a wrong
 * setting is reported as such on any machine.
 *
 * @param dir     the terraform folder ({@code with.dir}, relative to the working directory)
 * @param vars    the {@code -var} values: instance_type from the plan's sizing, then {@code with.vars} by name
 * @param backend the runbook's remote backend, or empty for the folder's own
 * @param region  the plan's target.region
 * @param masker  secret-named vars and environment variables (AWS_SECRET_ACCESS_KEY, TF_VAR_db_password),
 *                which terraform may quote in an error
 */
record TerraformSettings(Path dir, Map<String, String> vars, Optional<RemoteBackend> backend, Optional<String> region,
                         Masker masker) {

    static TerraformSettings of(StepContext ctx, Map<String, String> env) throws StepFailure {
        Optional<String> region = ctx.setting("target.region").filter(r -> !r.isBlank());
        Map<String, String> vars = vars(ctx);
        List<String> secrets = new ArrayList<>();
        vars.forEach((k, v) -> {
            if (Secrets.isSecretName(k)) {
                secrets.add(v);
            }
        });
        env.forEach((k, v) -> {
            if (Secrets.isSecretName(k)) {
                secrets.add(v);
            }
        });
        return new TerraformSettings(folder(ctx), vars, RemoteBackend.fromEnv(env, region), region,
                Masker.none().with(secrets));
    }

    static Path folder(StepContext ctx) {
        return Path.of(ctx.with().get("dir").asString()).toAbsolutePath().normalize();
    }

    /** {@code -var name=value} arguments, in order. */
    List<String> varArgs() {
        List<String> out = new ArrayList<>();
        vars.forEach((k, v) -> out.addAll(List.of("-var", k + "=" + v)));
        return out;
    }

    /** Never the values, some of which may be secrets. */
    @Override
    public String toString() {
        return "TerraformSettings[" + dir + ", vars " + vars.keySet() + "]";
    }

    private static Map<String, String> vars(StepContext ctx) throws StepFailure {
        Map<String, String> extra = new TreeMap<>();
        for (var e : ctx.with().path("vars").properties()) {
            extra.put(e.getKey(), e.getValue().asString());
        }
        if (extra.containsKey("instance_type")) {
            // the plan's sizing is checked (t4g family) and shown in the plan-diff; a var would bypass both
            throw StepFailure.permanent("with.vars.instance_type: set sizing.instanceType instead");
        }
        String instanceType = ctx.setting("sizing.instanceType").filter(s -> !s.isBlank())
                .orElseThrow(() -> StepFailure.permanent("sizing.instanceType is not set"));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("instance_type", instanceType);
        out.putAll(extra);
        return out;
    }
}

package dev.dr.steps.terraform;

import dev.dr.step.StepFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runbook's remote state: an S3 bucket and key, locked through a DynamoDB table, given to
 * {@code terraform init} as {@code -backend-config} arguments so that the folder's
 * {@code backend "s3" {}} block stays empty and one folder serves every account.
 *
 * <p>The environment chooses it, as the runbook's bringup does: TF_BACKEND_BUCKET, TF_BACKEND_KEY
 * and TF_BACKEND_DYNAMODB_TABLE, with TF_BACKEND_MODE {@code remote} (or unset). TF_BACKEND_MODE
 * {@code local}, or none of the three, leaves init to the folder's own backend. Some of the three
 * without the others is refused: half a backend would put the state somewhere nobody looks.
 *
 * @param region the plan's target.region, where the bucket and the table are
 */
record RemoteBackend(String bucket, String key, String table, Optional<String> region) {

    static final String BUCKET = "TF_BACKEND_BUCKET";
    static final String KEY = "TF_BACKEND_KEY";
    static final String TABLE = "TF_BACKEND_DYNAMODB_TABLE";
    static final String MODE = "TF_BACKEND_MODE";

    /** The remote backend the environment names, or empty for the folder's own. */
    static Optional<RemoteBackend> fromEnv(Map<String, String> env, Optional<String> region) throws StepFailure {
        String mode = env.getOrDefault(MODE, "").strip();
        if (mode.equals("local")) {
            return Optional.empty();
        }
        if (!mode.isEmpty() && !mode.equals("remote")) {
            throw StepFailure.permanent(MODE + " is '" + mode + "': expected remote or local");
        }
        List<String> missing = new ArrayList<>();
        for (String name : List.of(BUCKET, KEY, TABLE)) {
            if (env.getOrDefault(name, "").isBlank()) {
                missing.add(name);
            }
        }
        if (missing.size() == 3 && mode.isEmpty()) {
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            throw StepFailure.permanent("the remote terraform backend needs " + String.join(", ", missing)
                    + (mode.isEmpty() ? "" : " (" + MODE + "=remote)") + "; set all of " + BUCKET + ", " + KEY
                    + " and " + TABLE + ", or none to use the folder's own backend");
        }
        return Optional.of(new RemoteBackend(env.get(BUCKET).strip(), env.get(KEY).strip(), env.get(TABLE).strip(),
                region.filter(r -> !r.isBlank())));
    }

    List<String> initArgs() {
        List<String> out = new ArrayList<>(List.of("-backend-config=bucket=" + bucket, "-backend-config=key=" + key,
                "-backend-config=dynamodb_table=" + table));
        region.ifPresent(r -> out.add("-backend-config=region=" + r));
        return out;
    }

    /** For the log: where the state is. */
    String describe() {
        return "s3://" + bucket + "/" + key + " (lock table " + table + region.map(r -> ", region " + r).orElse("") + ")";
    }
}

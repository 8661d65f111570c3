package dev.dr.step;

import java.util.regex.Pattern;

/**
 * Which names stand for secrets: environment variables (IMAGE_PULL_TOKEN) and setting keys
 * (token, clientSecret, apiKey). One list for both, so a value is masked the same way
 * wherever it appears. "secretName" is a name, not a secret: only the last word counts.
 */
public final class Secrets {
    private static final Pattern SECRET = Pattern.compile(
            "(?i)(?:.*[^a-z])?(?:secret|token|password|passwd|credentials?|private_?key|api_?key|access_?key|"
                    + "secret_?access_?key|session_?token)"
                    + "|.*(?:Secret|Token|Password|Credentials?|PrivateKey|ApiKey|AccessKey)");

    private Secrets() {}

    /** True for a variable or key name whose value must never be printed. */
    public static boolean isSecretName(String name) {
        return name != null && SECRET.matcher(name).matches();
    }
}

package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The runbook flags of dr failback that scope and widen what the failback plan looks at, checked
 * before anything runs (exit 2, nothing written) and turned into the variables the plan reads:
 * NAMESPACE (target.namespace), KUBECONFIG_PRIMARY (failback.freeze's primaryKubeconfig),
 * PROVIDER and PROFILE (failback.verify-divergence's provider and profile).
 *
 * @param namespace         --namespace, or null
 * @param kubeconfigDr      --kubeconfig-dr, or null
 * @param kubeconfigPrimary --kubeconfig-primary, or null
 * @param provider          --provider, or null
 * @param profile           --profile, or null
 */
record FailbackInputs(String namespace, String kubeconfigDr, String kubeconfigPrimary, String provider, String profile) {

    // a DNS-1123 label, as Kubernetes names namespaces
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    // one path segment of the publish layout: no '/', no '.' or '..', nothing that needs quoting
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    /** The plan's variables for the flags given; throws exit 2 naming the flag when one is unusable. */
    Map<String, String> variables(Context ctx) {
        Map<String, String> env = new LinkedHashMap<>();
        if (namespace != null) {
            require(NAMESPACE.matcher(namespace).matches(), "--namespace must be a Kubernetes namespace name (lower-case"
                    + " letters, digits and '-', at most 63 characters, e.g. jobintel), was " + shown(namespace));
            env.put("NAMESPACE", namespace);
        }
        if (provider != null) {
            require(SEGMENT.matcher(provider).matches(), "--provider must name one provider of the publish layout"
                    + " <publish prefix>/<provider>/<profile>/ (letters, digits, '.', '_' and '-', e.g. openai), was "
                    + shown(provider));
            env.put("PROVIDER", provider);
        }
        if (profile != null) {
            require(SEGMENT.matcher(profile).matches(), "--profile must name one profile of the publish layout"
                    + " <publish prefix>/<provider>/<profile>/ (letters, digits, '.', '_' and '-', e.g. cs), was "
                    + shown(profile));
            require(provider != null, "--profile " + profile + " needs --provider: profiles live below a provider"
                    + " (<publish prefix>/<provider>/<profile>/)");
            env.put("PROFILE", profile);
        }
        Path dr = kubeconfigDr == null ? null : kubeconfig(ctx, "--kubeconfig-dr", kubeconfigDr);
        if (kubeconfigPrimary != null) {
            Path primary = kubeconfig(ctx, "--kubeconfig-primary", kubeconfigPrimary);
            require(dr == null || !sameFile(dr, primary), "--kubeconfig-primary and --kubeconfig-dr are the same file ("
                    + kubeconfigPrimary + "): the primary's checks would look at the DR cluster");
            env.put("KUBECONFIG_PRIMARY", primary.toString());
        }
        return env;
    }

    /** The kubeconfig a flag names, absolute (the steps do not run in the operator's folder), once it is a readable file. */
    private static Path kubeconfig(Context ctx, String flag, String file) {
        require(!file.isBlank(), flag + " needs a kubeconfig file, was empty");
        Path p = ctx.resolve(file).toAbsolutePath().normalize();
        require(Files.exists(p), flag + ": no such file: " + file + " (expected a kubeconfig file)");
        require(Files.isRegularFile(p), flag + ": " + file + " is not a file (expected a kubeconfig file)");
        require(Files.isReadable(p), flag + ": " + file + " is not readable");
        return p;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.equals(b);
        }
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw ExitException.invalidInput(problem + "; nothing was run");
        }
    }

    private static String shown(String value) {
        StringBuilder s = new StringBuilder("\"");
        value.codePoints().limit(80).forEach(c -> s.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return s.append(value.length() > 80 ? "...\"" : "\"").toString();
    }
}

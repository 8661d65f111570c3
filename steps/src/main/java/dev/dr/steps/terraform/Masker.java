package dev.dr.steps.terraform;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces known secret values with {@code (sensitive value)} in lines of terraform's output
 * before they reach the step log or a failure message. Terraform masks what its configuration
 * marks sensitive in its own output; this also covers secret-named {@code with.vars} and the
 * values a plan marks sensitive, wherever they turn up (an error quoting a value, a provisioner
 * echoing it).
 *
 * <p>A multi-line secret (a kubeconfig) is also masked line by line, as the log is written one
 * line at a time. Values shorter than {@link #MIN_LENGTH} characters are not searched for:
 * masking every "1" or "yes" of the output would hide the output, not the secret.
 */
record Masker(Set<String> secrets) {
    static final int MIN_LENGTH = 4;

    Masker {
        Set<String> kept = new TreeSet<>();
        for (String s : secrets) {
            add(kept, s);
            if (s.contains("\n")) {
                s.lines().forEach(l -> add(kept, l));
            }
        }
        secrets = Set.copyOf(kept);
    }

    static Masker none() {
        return new Masker(Set.of());
    }

    /** A masker that also hides {@code more}. */
    Masker with(Collection<String> more) {
        List<String> all = new ArrayList<>(secrets);
        all.addAll(more);
        return new Masker(Set.copyOf(all));
    }

    String mask(String line) {
        String out = line;
        // longest first: a secret that contains another is replaced whole
        for (String s : secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
            out = out.replace(s, PlanJson.SENSITIVE);
        }
        return out;
    }

    /** Never the secrets themselves. */
    @Override
    public String toString() {
        return "Masker[" + secrets.size() + " values]";
    }

    private static void add(Set<String> kept, String s) {
        String t = s.strip();
        if (t.length() >= MIN_LENGTH) {
            kept.add(t);
        }
    }
}

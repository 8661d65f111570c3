package dev.dr.source;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" for a misspelt key, phase, step or error class. */
public final class Suggestions {
    private Suggestions() {}

    /** The closest candidate within a small edit distance, or null. Ties go to the first in sort order. */
    public static String closest(String input, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String in = input.toLowerCase(Locale.ROOT);
        for (String c : candidates.stream().sorted().toList()) {
            int d = distance(in, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, input.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    /** Appends "; did you mean 'x'?" when there is a close candidate. */
    public static String hint(String input, Collection<String> candidates) {
        String s = closest(input, candidates);
        return s == null ? "" : "; did you mean '" + s + "'?";
    }

    /** Levenshtein distance with transpositions counted as one edit (typing slips). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}

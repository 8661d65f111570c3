package dev.dr.compile;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** POSIX shell words for the worker's script, and string literals for States intrinsic functions. */
final class Shell {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Shell() {}

    /** {@code s} as one shell word: bare when it needs no quoting, else single-quoted. */
    static String word(String s) {
        if (SAFE.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static String words(List<String> args) {
        return args.stream().map(Shell::word).collect(Collectors.joining(" "));
    }

    /** {@code s} inside a States.Format template, where ' { } and \ are escaped with a backslash. */
    static String intrinsic(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\'' || c == '{' || c == '}' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}

package dev.dr.render;

/**
 * Terminal colors, or none. Color only when stdout is a terminal and NO_COLOR is not set;
 * golden files and pipes always get plain text.
 */
public record Style(boolean color) {

    public static final Style PLAIN = new Style(false);

    public String add(String s) {
        return wrap("32", s);
    }

    public String skip(String s) {
        return wrap("2", s);
    }

    public String warn(String s) {
        return wrap("33", s);
    }

    public String bad(String s) {
        return wrap("31", s);
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}

package dev.dr.cli;

import java.io.PrintWriter;

/** Entry point of the dr command line (temporary: the picocli commands replace it). */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("dr: " + String.join(" ", args));
        System.exit(0);
    }
}

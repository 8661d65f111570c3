package dev.dr.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sandbox cluster processes running on this machine, found by their command line in /proc:
 * {@code ProcessHandle.Info.arguments()} is empty for a command line over 4 KiB, and a cluster's
 * class path is longer, so a search through it finds none.
 */
public final class SandboxProcesses {
    static final String SERVER_CLASS = "dev.dr.sandbox.SandboxServer";

    private SandboxProcesses() {}

    /** Clusters whose command line contains {@code under} (e.g. a test's folder); all of them for "". */
    public static List<ProcessHandle> under(String under) {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")),
                "finding the sandbox's processes needs /proc");
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> {
                try {
                    String line = new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                            StandardCharsets.UTF_8).replace('\0', ' ');
                    return line.contains(SERVER_CLASS) && line.contains(under);
                } catch (IOException gone) {
                    return false;
                }
            }).toList();
        }
    }
}

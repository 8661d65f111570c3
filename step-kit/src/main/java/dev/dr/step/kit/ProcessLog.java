package dev.dr.step.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The "server" of a step that starts or stops processes: each process whose command line
 * contains every given part and that started since the last call counts as a {@code POST
 * /processes/PID}, each one that ended as a {@code DELETE}. The command line is read from /proc
 * where there is one: the JDK gives no arguments for a line over 4 KiB, as a Java class path makes it.
 */
public final class ProcessLog implements RequestLog {

    private final List<String> parts;
    private Set<Long> seen;

    private ProcessLog(List<String> parts) {
        this.parts = List.copyOf(parts);
        this.seen = running();
    }

    /** A log of the processes whose command line contains all of {@code parts}, from now on. */
    public static ProcessLog commandLineContaining(String... parts) {
        return new ProcessLog(List.of(parts));
    }

    @Override
    public synchronized List<ServerRequest> take() {
        Set<Long> now = running();
        List<ServerRequest> out = new ArrayList<>();
        now.stream().filter(p -> !seen.contains(p)).forEach(p -> out.add(ServerRequest.rest("POST", "/processes/" + p)));
        seen.stream().filter(p -> !now.contains(p)).forEach(p -> out.add(ServerRequest.rest("DELETE", "/processes/" + p)));
        seen = now;
        return out;
    }

    /** The matching processes that run now. */
    public List<ProcessHandle> processes() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(ProcessHandle::isAlive).filter(p -> {
                String line = commandLine(p);
                return parts.stream().allMatch(line::contains);
            }).toList();
        }
    }

    private Set<Long> running() {
        Set<Long> out = new TreeSet<>();
        processes().forEach(p -> out.add(p.pid()));
        return out;
    }

    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | UnsupportedOperationException e) {
            return p.info().commandLine().orElse("");
        }
    }
}

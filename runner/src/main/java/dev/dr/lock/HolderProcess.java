package dev.dr.lock;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The process that took a lock: its host, pid and start time. The start time tells the holder
 * apart from a later process that got the same pid. Only on the holder's own host can dr tell
 * whether the holder is gone.
 */
public record HolderProcess(String host, long pid, Optional<Instant> startedAt) {

    /** Whether a lock's holder still runs, as far as this machine can tell. */
    public enum Liveness { ALIVE, GONE, UNKNOWN }

    public HolderProcess {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be > 0, was " + pid);
        }
    }

    /** This JVM's process. */
    public static HolderProcess current() {
        ProcessHandle me = ProcessHandle.current();
        return new HolderProcess(localHost(), me.pid(), me.info().startInstant());
    }

    /**
     * ALIVE when the process runs here (with the recorded start time, when one was recorded),
     * GONE when no such process runs here, UNKNOWN for a process of another host.
     */
    public Liveness liveness() {
        if (!host.equals(localHost())) {
            return Liveness.UNKNOWN;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return Liveness.GONE;
        }
        Optional<Instant> started = p.get().info().startInstant();
        // the clock ticks of /proc round the start time: a second apart is the same process
        boolean samePid = startedAt.isEmpty() || started.isEmpty()
                || Math.abs(started.get().toEpochMilli() - startedAt.get().toEpochMilli()) < 1000;
        return samePid ? Liveness.ALIVE : Liveness.GONE;
    }

    /** {@code pid 4242 on host-a}, for messages. */
    public String describe() {
        return "pid " + pid + " on " + host;
    }

    static String localHost() {
        try {
            // the kernel's own name for this host, without a resolver that may hang
            java.nio.file.Path kernel = java.nio.file.Path.of("/proc/sys/kernel/hostname");
            if (java.nio.file.Files.isReadable(kernel)) {
                return java.nio.file.Files.readString(kernel).strip();
            }
        } catch (java.io.IOException e) {
            // fall back to the resolver below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // a host without a resolvable name: its own name as the JVM reports it in the message
            String m = e.getMessage();
            int colon = m == null ? -1 : m.indexOf(':');
            return colon > 0 ? m.substring(0, colon) : "localhost";
        }
    }
}

package dev.dr.steps.terraform;

import dev.dr.step.Secrets;
import dev.dr.step.StepFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The terraform CLI, run in one folder with ProcessBuilder. Every command runs without input
 * ({@code TF_INPUT=0}, {@code -input=false} where terraform takes it) and without the version
 * check's network call. What a command prints goes to the step log as a tail, masked; a command
 * that fails becomes a classified {@link StepFailure}; an interrupted thread stops terraform the
 * way Ctrl-C does, and waits for it to write its state and release its lock.
 */
final class Terraform {
    static final int TAIL_LINES = 20;
    /** How long terraform may take to stop what it started and save its state after SIGTERM. */
    static final Duration GRACE = Duration.ofMinutes(2);
    /** Stderr kept for classifying a failure; more is the same advice repeated. */
    static final int STDERR_LINES = 500;

    /** What becomes of a command's stdout. */
    enum Mode {
        /** Shown as it comes (progress) and its tail logged: init, apply. */
        STREAM,
        /**
         * Kept, neither shown nor logged, unless the command fails: plan, whose diff may hold a value
         * terraform does not mark sensitive (terraform_data's output repeats its input); the caller
         * logs the tail once show -json has said which values are secret.
         */
        HELD,
        /** Returned whole, never shown or logged: show -json and output -json print sensitive values in plain text. */
        JSON
    }

    /**
     * What a finished command left.
     *
     * @param stdout the whole of stdout for a JSON command, else empty
     * @param stdoutTail the last lines of stdout (empty for a JSON command, which prints secrets)
     * @param stderr the last {@link #STDERR_LINES} lines of stderr, unmasked
     */
    record Output(int exit, String stdout, List<String> stdoutTail, List<String> stderr) {
        Output {
            stdoutTail = List.copyOf(stdoutTail);
            stderr = List.copyOf(stderr);
        }
    }

    private final Path binary;
    private final Path dir;
    private final Map<String, String> env;
    private final Consumer<String> log;
    private final Consumer<String> progress;

    /**
     * @param env      set in terraform's environment over the one it inherits (e.g. AWS_REGION, TF_DATA_DIR)
     * @param log      the step log: commands and output tails, masked
     * @param progress the operator's stderr: plan and apply lines as they come, masked
     */
    Terraform(Path binary, Path dir, Map<String, String> env, Consumer<String> log, Consumer<String> progress) {
        this.binary = binary;
        this.dir = dir;
        this.env = Map.copyOf(env);
        this.log = log;
        this.progress = progress;
    }

    /** The terraform executable on a PATH (the value of the PATH variable), as a shell finds it. */
    static Optional<Path> onPath(String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (d.isBlank()) {
                continue;
            }
            Path candidate = Path.of(d, "terraform");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs {@code terraform <args>} and returns when it exits 0. */
    Output run(List<String> args, Masker masker, Mode mode) throws StepFailure, InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before terraform " + args.get(0));
        }
        String command = args.get(0);
        log.accept("$ terraform " + shown(args, masker));
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(dir.toFile());
        pb.environment().put("TF_IN_AUTOMATION", "1");
        pb.environment().put("TF_INPUT", "0");
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw StepFailure.permanent("cannot run " + binary + ": " + e.getMessage());
        }
        try {
            p.getOutputStream().close(); // terraform asks nothing: -input=false, and nobody to answer
        } catch (IOException e) {
            // it has exited already; waitFor says how
        }
        StringBuffer stdout = new StringBuffer(); // appended by the reader thread
        Deque<String> stdoutTail = new ArrayDeque<>();
        Deque<String> stderr = new ArrayDeque<>();
        Thread out = drain(p.getInputStream(), "terraform-" + command + "-stdout", line -> {
            if (mode == Mode.JSON) {
                stdout.append(line).append('\n');
            } else {
                keep(stdoutTail, line, TAIL_LINES);
                if (mode == Mode.STREAM) {
                    progress.accept("terraform " + command + ": " + masker.mask(line));
                }
            }
        });
        Thread err = drain(p.getErrorStream(), "terraform-" + command + "-stderr", line -> keep(stderr, line, STDERR_LINES));
        int exit;
        try {
            exit = p.waitFor();
        } catch (InterruptedException e) {
            int code = stop(p);
            join(out);
            join(err);
            if (mode == Mode.STREAM) {
                logTail(command, copy(stdoutTail), masker);
            }
            logStderr(command, stderr, masker);
            log.accept("terraform " + command + ": interrupted; terraform stopped (exit " + code + ")");
            throw e;
        }
        join(out);
        join(err);
        if (mode == Mode.STREAM || exit != 0) {
            logTail(command, copy(stdoutTail), masker);
        }
        logStderr(command, stderr, masker);
        if (exit != 0) {
            throw TerraformFailures.failure(command, exit, copy(stderr).stream().map(masker::mask).toList());
        }
        return new Output(exit, stdout.toString(), copy(stdoutTail), copy(stderr));
    }

    private List<String> command(List<String> args) {
        List<String> out = new ArrayList<>();
        out.add(binary.toString());
        out.addAll(args);
        return out;
    }

    /** The arguments for the log: secrets masked, and a secret-named -var masked whatever its length. */
    static String shown(List<String> args, Masker masker) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            if (i > 0 && args.get(i - 1).equals("-var") && eq > 0 && Secrets.isSecretName(a.substring(0, eq))) {
                out.add(a.substring(0, eq + 1) + PlanJson.SENSITIVE);
            } else {
                out.add(masker.mask(a));
            }
        }
        return String.join(" ", out);
    }

    /** The last lines of a command's stdout into the step log, masked. */
    void logTail(String command, List<String> stdoutTail, Masker masker) {
        stdoutTail.forEach(l -> log.accept("terraform " + command + "| " + masker.mask(l)));
    }

    private void logStderr(String command, Deque<String> stderr, Masker masker) {
        List<String> errs = copy(stderr);
        errs.subList(Math.max(0, errs.size() - TAIL_LINES), errs.size())
                .forEach(l -> log.accept("terraform " + command + " (stderr)| " + masker.mask(l)));
    }

    /**
     * Stops terraform as Ctrl-C would: SIGTERM lets it tell its providers to stop, write the state
     * and release the lock. Only when it has not exited after {@link #GRACE}, or the thread is
     * interrupted again (a second Ctrl-C), is it killed.
     */
    private static int stop(Process p) {
        // Through the handle: Process.destroy() also closes the pipes, and terraform, writing
        // "Interrupt received" to a closed pipe, would die of SIGPIPE before saving its state.
        p.toHandle().destroy();
        boolean forced = false;
        long deadline = System.nanoTime() + GRACE.toNanos();
        while (true) {
            try {
                long left = deadline - System.nanoTime();
                if (p.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
                    return p.exitValue();
                }
                if (forced) {
                    return -1; // not even SIGKILL ended it within the bound; nothing more to do here
                }
            } catch (InterruptedException again) {
                if (forced) {
                    continue;
                }
            }
            p.toHandle().destroyForcibly();
            forced = true;
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        }
    }

    private static Thread drain(InputStream in, String name, Consumer<String> each) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    each.accept(line);
                }
            } catch (IOException e) {
                // the process went away; what was read is kept
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Waits for a reader to reach the end of the stream, through any interruption (the process is
     * gone by now). Bounded: a child terraform left running in the background (a provisioner's
     * {@code &}) may hold the pipe open.
     */
    private static void join(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> copy(Deque<String> lines) {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    private static void keep(Deque<String> lines, String line, int max) {
        synchronized (lines) {
            lines.addLast(line);
            if (lines.size() > max) {
                lines.removeFirst();
            }
        }
    }
}

package dev.dr.cli;

import dev.dr.engine.Attempt;
import dev.dr.engine.EngineListener;
import dev.dr.engine.PhaseOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * One line per phase and attempt on stderr, with elapsed time; passes every event on to the
 * receipts. On a terminal, a phase that is still running (a Job being waited for) also shows a
 * live line, rewritten every second, with its elapsed time and its last log line.
 */
final class Progress implements EngineListener {
    private static final String CLEAR = "\r\u001b[K";

    private final PrintWriter err;
    private final EngineListener next;
    private final Clock clock;
    private final long start;
    private final boolean live;
    private java.util.concurrent.ScheduledExecutorService ticker;
    private volatile String running;
    private volatile long runningSince;
    private volatile String lastLine = "";

    Progress(PrintWriter err, EngineListener next, Clock clock, boolean live) {
        this.err = err;
        this.next = next;
        this.clock = clock;
        this.start = clock.millis();
        this.live = live;
    }

    /** Prints a line, first clearing the live line if there is one. */
    private synchronized void line(String text) {
        if (live) {
            err.print(CLEAR);
        }
        err.println(text);
        err.flush();
    }

    private synchronized void tick() {
        String phase = running;
        if (phase == null) {
            return;
        }
        String last = lastLine.length() > 70 ? lastLine.substring(0, 67) + "..." : lastLine;
        err.print(CLEAR + "  " + phase + ": running "
                + dev.dr.step.Durations.format(Duration.ofSeconds((clock.millis() - runningSince) / 1000))
                + (last.isEmpty() ? "" : "  " + last));
        err.flush();
    }

    /** Stops the live line (call when the run ends). */
    void close() {
        running = null;
        if (ticker != null) {
            ticker.shutdownNow();
            err.print(CLEAR);
            err.flush();
        }
    }

    private String elapsed() {
        return dev.dr.step.Durations.format(Duration.ofMillis(clock.millis() - start));
    }

    @Override
    public void phaseStarted(String phase) {
        line("[" + elapsed() + "] " + phase + ": started");
        if (live) {
            running = phase;
            runningSince = clock.millis();
            lastLine = "";
            if (ticker == null) {
                ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "dr-progress");
                    t.setDaemon(true);
                    return t;
                });
                ticker.scheduleAtFixedRate(this::tick, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        next.phaseStarted(phase);
    }

    @Override
    public void attemptFinished(String phase, Attempt a) {
        line("[" + elapsed() + "] " + phase + ": attempt " + a.number() + " "
                + a.status().name().toLowerCase(Locale.ROOT)
                + (a.errorClass() == null ? "" : " (" + a.errorClass() + ": " + a.message() + ")"));
        next.attemptFinished(phase, a);
    }

    @Override
    public void phaseFinished(PhaseOutcome o) {
        running = null;
        line("[" + elapsed() + "] " + o.phase().id() + ": " + o.status().name().toLowerCase(Locale.ROOT)
                + (o.reasonKind() == null ? "" : " (" + o.reasonKind() + ")"));
        next.phaseFinished(o);
    }

    @Override
    public void phaseReused(PhaseOutcome o) {
        line("[" + elapsed() + "] " + o.phase().id() + ": succeeded before; kept (resume)");
        next.phaseReused(o);
    }

    @Override
    public void log(String phase, String line) {
        lastLine = line;
        next.log(phase, line);
    }

    /** On a terminal it becomes the live line; otherwise each report is a line of its own. */
    @Override
    public void progress(String phase, String line) {
        if (live) {
            lastLine = line;
        } else {
            line("  " + phase + ": " + line);
        }
    }
}

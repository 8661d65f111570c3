package dev.dr.cli;

import dev.dr.engine.Attempt;
import dev.dr.engine.EngineListener;
import dev.dr.engine.PhaseOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/** One line per phase and attempt on stderr, with elapsed time; passes every event on to the receipts. */
final class Progress implements EngineListener {
    private final PrintWriter err;
    private final EngineListener next;
    private final Clock clock;
    private final long start;

    Progress(PrintWriter err, EngineListener next, Clock clock) {
        this.err = err;
        this.next = next;
        this.clock = clock;
        this.start = clock.millis();
    }

    private String elapsed() {
        return dev.dr.plan.model.Durations.format(Duration.ofMillis(clock.millis() - start));
    }

    @Override
    public void phaseStarted(String phase) {
        err.println("[" + elapsed() + "] " + phase + ": started");
        err.flush();
        next.phaseStarted(phase);
    }

    @Override
    public void attemptFinished(String phase, Attempt a) {
        err.println("[" + elapsed() + "] " + phase + ": attempt " + a.number() + " "
                + a.status().name().toLowerCase(Locale.ROOT)
                + (a.errorClass() == null ? "" : " (" + a.errorClass() + ": " + a.message() + ")"));
        err.flush();
        next.attemptFinished(phase, a);
    }

    @Override
    public void phaseFinished(PhaseOutcome o) {
        err.println("[" + elapsed() + "] " + o.phase().id() + ": " + o.status().name().toLowerCase(Locale.ROOT)
                + (o.reasonKind() == null ? "" : " (" + o.reasonKind() + ")"));
        err.flush();
        next.phaseFinished(o);
    }

    @Override
    public void phaseReused(PhaseOutcome o) {
        err.println("[" + elapsed() + "] " + o.phase().id() + ": succeeded before; kept (resume)");
        err.flush();
        next.phaseReused(o);
    }

    @Override
    public void log(String phase, String line) {
        next.log(phase, line);
    }
}

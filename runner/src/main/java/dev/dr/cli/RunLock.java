package dev.dr.cli;

import dev.dr.lock.Holder;
import dev.dr.lock.LockHeldException;
import dev.dr.lock.LockKey;
import dev.dr.lock.LockStore;
import dev.dr.lock.LockStoreUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Set;

/**
 * Takes a run's lock. A lock another run holds refuses the run, with one exception: the lock of
 * a run this one continues (the run --resume names, or the run whose unfinished phase a new run
 * reruns from its receipts) whose process is gone, killed before it could release it. That lock
 * is taken over in one conditional step; a lock whose holder still runs, or runs where this
 * machine cannot see, stays.
 */
final class RunLock {
    private RunLock() {}

    /**
     * @param continues the run ids whose stale lock this run may take over
     * @return the lease, or null after saying why the run must not start (exit 3)
     */
    static LockStore.Lease take(PrintWriter err, LockStore locks, LockKey key, Holder me, Set<String> continues)
            throws IOException {
        Holder stale;
        try {
            return locks.acquire(key, me);
        } catch (LockStoreUnavailableException e) {
            err.println("dr: " + e.getMessage() + " Nothing was run.");
            return null;
        } catch (LockHeldException e) {
            if (!continues.contains(e.holder().runId())) {
                err.println("dr: " + e.getMessage() + " Nothing was run.");
                return null;
            }
            stale = e.holder();
        }
        String process = stale.process().map(p -> " (" + p.describe() + ")").orElse("");
        switch (stale.liveness()) {
            case ALIVE -> {
                err.println("dr: run " + stale.runId() + " is still going" + process + " and holds " + key.id()
                        + "; wait for it to end, or stop it first. Nothing was run.");
                return null;
            }
            case UNKNOWN -> {
                err.println("dr: the lock " + key.id() + " is held by run " + stale.runId() + process + ", which this run"
                        + " continues, but " + (stale.process().isEmpty() ? "the lock names no process"
                                : "that process is not on this machine") + ": dr cannot tell whether it is gone. If it is,"
                        + " dr force-unlock " + key.id() + " releases it. Nothing was run.");
                return null;
            }
            case GONE -> {
                // the run this one continues was killed before it could release its lock
                err.println("dr: taking over the lock " + key.id() + " of run " + stale.runId() + process
                        + ": that process is gone, and this run continues it");
                try {
                    return locks.takeOver(key, stale, me);
                } catch (LockStoreUnavailableException | LockHeldException again) {
                    err.println("dr: " + again.getMessage() + " Nothing was run.");
                    return null;
                }
            }
            default -> throw new IllegalStateException("unknown liveness " + stale.liveness());
        }
    }
}

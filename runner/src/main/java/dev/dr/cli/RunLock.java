package dev.dr.cli;

import dev.dr.command.ExitException;
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
     * @return the lease; when the run must not start, an {@link ExitException} (exit 3) says why
     */
    static LockStore.Lease take(PrintWriter err, LockStore locks, LockKey key, Holder me, Set<String> continues)
            throws IOException {
        Holder stale;
        try {
            return locks.acquire(key, me);
        } catch (LockStoreUnavailableException e) {
            throw ExitException.guardRefused(e.getMessage() + " Nothing was run.");
        } catch (LockHeldException e) {
            if (!continues.contains(e.holder().runId())) {
                throw ExitException.guardRefused(e.getMessage() + " Nothing was run.");
            }
            stale = e.holder();
        }
        String process = stale.process().map(p -> " (" + p.describe() + ")").orElse("");
        switch (stale.liveness()) {
            case ALIVE -> throw ExitException.guardRefused("run " + stale.runId() + " is still going" + process
                    + " and holds " + key.id() + "; wait for it to end, or stop it first. Nothing was run.");
            case UNKNOWN -> throw ExitException.guardRefused("the lock " + key.id() + " is held by run " + stale.runId()
                    + process + ", which this run continues, but " + (stale.process().isEmpty()
                            ? "the lock names no process" : "that process is not on this machine")
                    + ": dr cannot tell whether it is gone. If it is, dr force-unlock " + key.id()
                    + " releases it. Nothing was run.");
            case GONE -> {
                // the run this one continues was killed before it could release its lock
                err.println("dr: taking over the lock " + key.id() + " of run " + stale.runId() + process
                        + ": that process is gone, and this run continues it");
                try {
                    return locks.takeOver(key, stale, me);
                } catch (LockStoreUnavailableException | LockHeldException again) {
                    throw ExitException.guardRefused(again.getMessage() + " Nothing was run.");
                }
            }
            default -> throw new IllegalStateException("unknown liveness " + stale.liveness());
        }
    }

    /**
     * The lease, released with a warning instead of an exception when its store is down: a lock
     * that cannot be released must not hide how the run went.
     */
    static LockStore.Lease releasedWithWarning(PrintWriter err, LockStore.Lease lease, LockKey key) {
        return () -> {
            try {
                lease.close();
            } catch (IOException e) {
                err.println("dr: warning: the lock " + key.id() + " was not released: " + e.getMessage()
                        + "; once the run is over, remove it with dr force-unlock " + key.id());
            }
        };
    }
}

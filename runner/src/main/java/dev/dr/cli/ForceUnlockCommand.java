package dev.dr.cli;

import dev.dr.command.Context;
import dev.dr.command.ExitCodes;
import dev.dr.command.ExitException;
import dev.dr.lock.Holder;
import dev.dr.lock.LockKey;
import dev.dr.lock.LockStore;
import dev.dr.lock.LockStoreUnavailableException;
import dev.dr.lock.LockStores;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "force-unlock", mixinStandardHelpOptions = true,
        description = "Remove a drill lock whose run is gone. Overrides the one-drill-at-a-time guard: use only"
                + " when the holder named in the refusal is no longer running. The lock is removed from the store"
                + " dr apply uses: the DynamoDB table DR_LOCK_TABLE (in the lock's region; DR_LOCK_ENDPOINT_URL for a"
                + " stand-in server) when it is set, otherwise the lock files in DR_LOCK_DIR.",
        footer = {"", "Example:", "  DR_LOCK_TABLE=dr-locks dr force-unlock 048622080012/us-east-1/jobintel"})
final class ForceUnlockCommand implements Callable<Integer> {
    private final Context ctx;

    @Parameters(index = "0", paramLabel = "ID", description = "The lock, <accountId>/<region>/<namespace>.")
    String id;

    ForceUnlockCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        LockKey key;
        try {
            key = LockKey.parse(id);
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput(e.getMessage());
        }
        LockStore store = null;
        Optional<Holder> removed;
        try {
            store = LockStores.select(ctx.env(), key.region(), Clock.systemUTC());
            removed = store.forceUnlock(key);
        } catch (LockStoreUnavailableException e) {
            ctx.err().println("dr: " + e.getMessage() + "; nothing removed");
            return e.transientFailure() ? ExitCodes.PHASE_FAILED : ExitCodes.GUARD_REFUSED;
        } finally {
            if (store instanceof AutoCloseable c) {
                close(c);
            }
        }
        if (removed.isEmpty()) {
            ctx.out().println("No lock on " + key.id() + " in " + store.location() + "; nothing removed.");
        } else {
            Holder h = removed.get();
            ctx.out().println("Removed the lock on " + key.id() + " held by run " + h.runId() + " (" + h.operator()
                    + ", since " + h.since() + ") from " + store.location()
                    + ". If that run is still going, a second drill can now start beside it.");
        }
        return ExitCodes.OK;
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // the lock is removed (or the failure reported); a client that does not close cleanly changes nothing
        }
    }
}

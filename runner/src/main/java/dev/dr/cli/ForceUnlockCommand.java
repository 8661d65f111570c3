package dev.dr.cli;

import dev.dr.lock.FileLockStore;
import dev.dr.lock.Holder;
import dev.dr.lock.LockKey;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "force-unlock", mixinStandardHelpOptions = true,
        description = "Remove a drill lock whose run is gone. Overrides the one-drill-at-a-time guard: use only"
                + " when the holder named in the refusal is no longer running.",
        footer = {"", "Example:", "  dr force-unlock 048622080012/us-east-1/jobintel"})
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
            ctx.err().println("dr: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        Optional<Holder> removed = new FileLockStore(FileLockStore.defaultDir(ctx.env()), Clock.systemUTC()).forceUnlock(key);
        if (removed.isEmpty()) {
            ctx.out().println("No lock on " + key.id() + "; nothing removed.");
        } else {
            Holder h = removed.get();
            ctx.out().println("Removed the lock on " + key.id() + " held by run " + h.runId() + " (" + h.operator()
                    + ", since " + h.since() + "). If that run is still going, a second drill can now start beside it.");
        }
        return ExitCodes.OK;
    }
}

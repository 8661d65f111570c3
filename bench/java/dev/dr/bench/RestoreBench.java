package dev.dr.bench;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.steps.backup.BackupRestore;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.io.file.PathUtils;

/**
 * Benchmark main: what the backup.restore step reads, as it reads it ({@link BackupRestore#run}):
 * metadata.json and the contract, manifests.tar.zst restored and parsed, then state.tar.zst
 * streamed through SHA-256, zstd and tar into a folder, moved into place once its hash matches.
 * Only applying the manifests to a namespace is left out: there is no dr command that restores a
 * backup without a cluster to apply its manifests to. Prints one line: the in-process time (the
 * S3 client built, then the step's reading), the state archive's restore alone, the time from the
 * JVM's start to the first byte of state.tar.zst (when S3's answer to its GET arrives, before its
 * body is read; the JVM's start as {@code RuntimeMXBean} has it, read only at the end), the same
 * moment as wall-clock milliseconds (for the script to measure from the process's launch), what
 * was restored and the process's peak resident set (VmHWM) at the end.
 *
 * <p>usage: RestoreBench ENDPOINT s3://BUCKET/PREFIX/backups/ID DEST
 */
public final class RestoreBench {
    private RestoreBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: RestoreBench ENDPOINT s3://BUCKET/PREFIX/backups/ID DEST");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        AtomicLong firstStateByte = new AtomicLong();
        Path dest = Path.of(args[2]);
        Path manifests = dest.resolveSibling(dest.getFileName() + "-manifests");
        BackupRestore.Restored r;
        try (S3Objects s3 = new S3Objects(S3Clients.open(
                new S3Settings(Optional.of("us-east-1"), Optional.of(URI.create(args[0])), true), false))) {
            // the step asks for the progress of an archive once its GET has answered
            r = BackupRestore.run(s3, S3Uri.parse(args[1]), manifests, dest.toString(), (name, total) -> {
                if (name.equals("state.tar.zst")) {
                    firstStateByte.compareAndSet(0, System.currentTimeMillis());
                }
                return n -> { };
            }, line -> { });
        }
        long t1 = System.nanoTime();
        PathUtils.deleteDirectory(manifests);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        // nothing asks whether the native SHA-256 loaded: asking loads it, which a state under
        // Sha256.NATIVE_FROM never does, and the JVM's exit would wait for it (~0.3 s)
        System.out.printf("in_process_ms=%d restore_ms=%d first_state_byte_ms=%d first_state_byte_epoch_ms=%d files=%d bytes=%d"
                + " compressed=%d manifests=%d java=%s vmhwm_kib=%d%n", (t1 - t0) / 1_000_000,
                r.stateTook().toMillis(), firstStateByte.get() - jvmStart, firstStateByte.get(), r.state().files(),
                r.state().bytes(), r.state().compressedBytes(), r.objects().size(), Runtime.version().feature(), vmHwmKib());
    }

    /** Peak resident set of this process, from /proc; -1 where there is none. */
    static long vmHwmKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}

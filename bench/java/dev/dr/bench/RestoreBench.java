package dev.dr.bench;

import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.steps.backup.BackupRestore;
import dev.dr.steps.digest.Sha256;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.commons.io.file.PathUtils;

/**
 * Benchmark main: what the backup.restore step reads, as it reads it ({@link BackupRestore#run}):
 * metadata.json and the contract, manifests.tar.zst restored and parsed, then state.tar.zst
 * streamed through SHA-256, zstd and tar into a folder, moved into place once its hash matches.
 * Only applying the manifests to a namespace is left out. Prints one line: the in-process time
 * (the S3 client built, then the step's reading), the state archive's restore alone, what was
 * restored and the process's peak resident set (VmHWM) at the end.
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
        Path dest = Path.of(args[2]);
        Path manifests = dest.resolveSibling(dest.getFileName() + "-manifests");
        BackupRestore.Restored r;
        try (S3Objects s3 = new S3Objects(S3Clients.open(
                new S3Settings(Optional.of("us-east-1"), Optional.of(URI.create(args[0])), true), false))) {
            r = BackupRestore.run(s3, S3Uri.parse(args[1]), manifests, dest.toString(), (name, total) -> n -> { }, line -> { });
        }
        long t1 = System.nanoTime();
        PathUtils.deleteDirectory(manifests);
        System.out.printf("in_process_ms=%d restore_ms=%d files=%d bytes=%d compressed=%d manifests=%d native_sha256=%b"
                + " vmhwm_kib=%d%n", (t1 - t0) / 1_000_000, r.stateTook().toMillis(), r.state().files(),
                r.state().bytes(), r.state().compressedBytes(), r.objects().size(), Sha256.nativeAvailable(), vmHwmKib());
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

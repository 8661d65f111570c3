package dev.dr.bench;

import dev.dr.steps.archive.ExtractLimits;
import dev.dr.steps.aws.S3Clients;
import dev.dr.steps.aws.S3Objects;
import dev.dr.steps.aws.S3Settings;
import dev.dr.steps.aws.S3Uri;
import dev.dr.steps.backup.BackupObject;
import dev.dr.steps.backup.RestoreResult;
import dev.dr.steps.backup.StreamedRestore;
import dev.dr.steps.digest.Sha256;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Benchmark main: dr's streamed restore of one backup archive from an S3 endpoint into a
 * folder, as the backup.restore step does it (SHA-256, zstd, tar, staging, move into place).
 * Prints one line: the in-process time (client, GET and restore; and the restore call alone),
 * what was restored and the process's peak resident set (VmHWM) at the end.
 *
 * <p>usage: RestoreBench ENDPOINT s3://BUCKET/KEY SHA256 SIZE DEST
 */
public final class RestoreBench {
    private RestoreBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: RestoreBench ENDPOINT s3://BUCKET/KEY SHA256 SIZE DEST");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Sha256.prepareFor(Long.parseLong(args[3])); // as backup.restore does once metadata.json is read
        URI endpoint = URI.create(args[0]);
        S3Uri object = S3Uri.parse(args[1]);
        BackupObject expected = new BackupObject(object.name(), args[2], Long.parseLong(args[3]));
        RestoreResult r;
        long t1;
        try (S3Objects s3 = new S3Objects(S3Clients.open(new S3Settings(Optional.of("us-east-1"), Optional.of(endpoint), true), false))) {
            t1 = System.nanoTime();
            try (InputStream in = s3.open(object)) {
                r = StreamedRestore.toFolder(in, expected, Path.of(args[4]), ExtractLimits.backup(), n -> { });
            }
        }
        long t2 = System.nanoTime();
        System.out.printf("in_process_ms=%d restore_ms=%d files=%d bytes=%d compressed=%d native_sha256=%b vmhwm_kib=%d%n",
                (t2 - t0) / 1_000_000, (t2 - t1) / 1_000_000, r.files(), r.bytes(), r.compressedBytes(),
                Sha256.nativeAvailable(), vmHwmKib());
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

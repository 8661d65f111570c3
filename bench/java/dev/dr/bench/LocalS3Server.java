package dev.dr.bench;

import dev.dr.sandbox.LocalS3;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark helper: an S3 server on loopback in its own JVM, so the restore process's memory
 * and CPU are its own. Keeps objects under a folder (large objects would not fit the in-memory
 * store comfortably), creates the named buckets, prints {@code endpoint <uri>} on stdout and
 * serves until stdin reaches its end or the process is stopped.
 *
 * <p>usage: LocalS3Server DIR BUCKET...
 */
public final class LocalS3Server {
    private LocalS3Server() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LocalS3Server DIR BUCKET...");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        LocalS3 s3 = LocalS3.start(dir);
        for (int i = 1; i < args.length; i++) {
            s3.createBucket(args[i]);
        }
        System.out.println("endpoint " + s3.endpoint());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until stdin ends
        }
        s3.close();
    }
}

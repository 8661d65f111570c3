package dev.dr.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Benchmark data, the same bytes for the same arguments (a fixed seed).
 *
 * <p>{@code state DIR MIB} writes a service's state tree of about MIB MiB:
 * <ul>
 *   <li>40 % {@code blobs/}: random bytes (already-compressed uploads), 16 KiB to 8 MiB each;
 *   <li>25 % {@code documents/}: JSON documents, 512 B to 256 KiB each;
 *   <li>20 % {@code db/}: table files of 8 KiB pages, each partly filled with text rows, the rest zero, 1 to 16 MiB each;
 *   <li>10 % {@code logs/}: application log lines, 1 to 8 MiB each;
 *   <li>5 % {@code config/} and {@code cache/}: small text files, 100 B to 4 KiB each.
 * </ul>
 * Each folder holds up to 128 files in shard folders ({@code documents/01a/003350.json}).
 *
 * <p>{@code control-plane DIR} writes 10,000 small text files under candidates/ (6,000 JSON
 * profiles), alerts/ (1,500 YAML rules), providers/ (500 JSON configurations) and scoring/
 * (2,000 CSV and JSON weight tables), of 200 B to 64 KiB, with a few larger scoring tables (up to
 * 960,000 bytes: a file over a ConfigMap's budget of 1,000,000 bytes is refused by dr bundle publish).
 */
public final class Generate {
    private static final String[] WORDS = ("engineer senior staff backend frontend platform data reliability security"
            + " kubernetes postgres kafka python java golang rust terraform aws gcp azure remote hybrid onsite"
            + " berlin london paris amsterdam lisbon madrid warsaw prague vienna zurich dublin stockholm"
            + " salary equity bonus contract permanent junior lead principal manager director analyst scientist"
            + " machine learning infrastructure observability latency throughput incident oncall rotation review"
            + " accepted rejected pending interview offer screening sourced referred applied withdrawn").split(" ");
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"};

    private final SplittableRandom rnd;

    private Generate(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    public static void main(String[] args) throws IOException {
        if (args.length >= 3 && args[0].equals("state")) {
            long total = Long.parseLong(args[2]) << 20;
            long files = new Generate(42).state(Path.of(args[1]), total);
            System.out.println("files=" + files);
        } else if (args.length >= 2 && args[0].equals("control-plane")) {
            long files = new Generate(7).controlPlane(Path.of(args[1]));
            System.out.println("files=" + files);
        } else {
            System.err.println("usage: Generate state DIR MIB | Generate control-plane DIR");
            System.exit(2);
        }
    }

    // ---- state tree -------------------------------------------------------------------

    private long state(Path dir, long total) throws IOException {
        long n = 0;
        n += fill(dir.resolve("blobs"), total * 40 / 100, 16 << 10, 8 << 20, ".bin", 0);
        n += fill(dir.resolve("documents"), total * 25 / 100, 512, 256 << 10, ".json", 1);
        n += fill(dir.resolve("db"), total * 20 / 100, 1 << 20, 16 << 20, "", 2);
        n += fill(dir.resolve("logs"), total * 10 / 100, 1 << 20, 8 << 20, ".log", 3);
        n += fill(dir.resolve("config"), total * 2 / 100, 100, 4 << 10, ".yaml", 4);
        n += fill(dir.resolve("cache"), total * 3 / 100, 100, 4 << 10, ".txt", 4);
        return n;
    }

    /** Files of log-uniform sizes in [min, max) until {@code budget} bytes are written. */
    private long fill(Path dir, long budget, int min, int max, String ext, int kind) throws IOException {
        long written = 0;
        long i = 0;
        while (written < budget) {
            int size = (int) Math.min(budget - written, logUniform(min, max));
            size = Math.max(size, 1);
            Path f = dir.resolve(String.format("%03x/%06d%s", i / 128, i, ext));
            Files.createDirectories(f.getParent());
            byte[] body = switch (kind) {
                case 0 -> random(size);
                case 1 -> text(size, this::jsonDocument);
                case 2 -> tablePages(size);
                case 3 -> text(size, this::logLine);
                default -> text(size, this::configLine);
            };
            Files.write(f, body);
            written += size;
            i++;
        }
        return i;
    }

    private int logUniform(int min, int max) {
        double l = Math.log(min) + rnd.nextDouble() * (Math.log(max) - Math.log(min));
        return (int) Math.exp(l);
    }

    private byte[] random(int size) {
        byte[] b = new byte[size];
        rnd.nextBytes(b);
        return b;
    }

    private interface Piece {
        void append(StringBuilder sb);
    }

    private byte[] text(int size, Piece piece) {
        StringBuilder sb = new StringBuilder(size + 512);
        while (sb.length() < size) {
            piece.append(sb);
        }
        sb.setLength(size);
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private String word() {
        return WORDS[rnd.nextInt(WORDS.length)];
    }

    private void jsonDocument(StringBuilder sb) {
        sb.append("{\"id\":\"").append(Long.toHexString(rnd.nextLong())).append("\",\"title\":\"").append(word()).append(' ')
                .append(word()).append("\",\"location\":\"").append(word()).append("\",\"score\":")
                .append(rnd.nextInt(10_000) / 100.0).append(",\"salary\":{\"min\":").append(40_000 + rnd.nextInt(60) * 1000)
                .append(",\"max\":").append(100_000 + rnd.nextInt(90) * 1000).append(",\"currency\":\"EUR\"},\"tags\":[");
        int tags = 1 + rnd.nextInt(6);
        for (int t = 0; t < tags; t++) {
            sb.append(t == 0 ? "\"" : ",\"").append(word()).append('"');
        }
        sb.append("],\"status\":\"").append(word()).append("\",\"updated_at\":\"2026-").append(1 + rnd.nextInt(12))
                .append('-').append(1 + rnd.nextInt(28)).append("T").append(rnd.nextInt(24)).append(":")
                .append(rnd.nextInt(60)).append(":00Z\"}\n");
    }

    private void logLine(StringBuilder sb) {
        sb.append("2026-11-").append(10 + rnd.nextInt(18)).append('T').append(10 + rnd.nextInt(14)).append(':')
                .append(10 + rnd.nextInt(50)).append(':').append(10 + rnd.nextInt(50)).append('.').append(100 + rnd.nextInt(900))
                .append("Z ").append(LEVELS[rnd.nextInt(LEVELS.length)]).append(" [worker-").append(rnd.nextInt(16))
                .append("] ").append(word()).append('.').append(word()).append(": request ")
                .append(Integer.toHexString(rnd.nextInt())).append(' ').append(word()).append(' ').append(word())
                .append(" took ").append(rnd.nextInt(5000)).append(" ms status=").append(rnd.nextInt(10) < 8 ? 200 : 500)
                .append('\n');
    }

    private void configLine(StringBuilder sb) {
        sb.append(word()).append('_').append(word()).append(": ").append(rnd.nextInt(2) == 0 ? word() : Integer.toString(rnd.nextInt(100_000)))
                .append('\n');
    }

    /** 8 KiB pages: a header, rows from the front, zeros after them (free space). */
    private byte[] tablePages(int size) {
        byte[] b = new byte[size];
        for (int page = 0; page < size; page += 8192) {
            int end = Math.min(size, page + 8192);
            long lsn = rnd.nextLong();
            for (int k = 0; k < 8 && page + k < end; k++) {
                b[page + k] = (byte) (lsn >>> (8 * k));
            }
            int fill = page + 24 + (int) ((end - page - 24) * (0.3 + 0.6 * rnd.nextDouble()));
            StringBuilder rows = new StringBuilder();
            while (rows.length() < fill - page - 24) {
                rows.append((char) 0x17).append(rnd.nextInt(1_000_000)).append('|').append(word()).append('|').append(word())
                        .append('|').append(rnd.nextInt(100_000));
            }
            byte[] r = rows.toString().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(r, 0, b, page + 24, Math.max(0, Math.min(r.length, fill - page - 24)));
        }
        return b;
    }

    // ---- control plane -----------------------------------------------------------------

    private long controlPlane(Path dir) throws IOException {
        long n = 0;
        for (int i = 0; i < 6000; i++) {
            write(dir.resolve(String.format("candidates/%02d/candidate-%05d.json", i % 60, i)), text(logUniform(300, 16 << 10), this::jsonDocument));
            n++;
        }
        for (int i = 0; i < 1500; i++) {
            write(dir.resolve(String.format("alerts/%s/rule-%04d.yaml", WORDS[i % 12], i)), text(logUniform(200, 4 << 10), this::alertRule));
            n++;
        }
        for (int i = 0; i < 500; i++) {
            write(dir.resolve(String.format("providers/provider-%03d.json", i)), text(logUniform(1 << 10, 64 << 10), this::jsonDocument));
            n++;
        }
        for (int i = 0; i < 2000; i++) {
            int size = i % 200 == 0 ? logUniform(256 << 10, 960_000) : logUniform(500, 32 << 10);
            Piece p = i % 2 == 0 ? this::scoringRow : this::jsonDocument;
            write(dir.resolve(String.format("scoring/%s/weights-%04d.%s", WORDS[i % 20], i, i % 2 == 0 ? "csv" : "json")), text(size, p));
            n++;
        }
        return n;
    }

    private void alertRule(StringBuilder sb) {
        sb.append("- alert: ").append(word()).append('_').append(word()).append("\n  expr: rate(").append(word())
                .append("_total[5m]) > ").append(rnd.nextInt(100)).append("\n  for: ").append(1 + rnd.nextInt(30))
                .append("m\n  labels: {severity: ").append(rnd.nextInt(3) == 0 ? "page" : "ticket").append("}\n");
    }

    private void scoringRow(StringBuilder sb) {
        sb.append(word()).append(',').append(word()).append(',').append(rnd.nextInt(1000) / 1000.0).append(',')
                .append(rnd.nextInt(100)).append('\n');
    }

    private static void write(Path f, byte[] body) throws IOException {
        Files.createDirectories(f.getParent());
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(body);
        }
    }
}

package dev.dr.steps.sandbox;

import com.github.luben.zstd.ZstdOutputStream;
import dev.dr.aws.S3Clients;
import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Settings;
import dev.dr.aws.S3Uri;
import dev.dr.step.StepContext;
import dev.dr.step.StepFailure;
import dev.dr.step.StepResult;
import dev.dr.steps.DescribedStep;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@code sandbox.seed-backup}: puts a backup at {@code inputs.backupUri} the way the primary's
 * backup job does (metadata.json, state.tar.zst, manifests.tar.zst), from the folders
 * {@code state/} and {@code manifests/} of {@code with.source}, so that the sandbox drill
 * restores a real backup. Only the sandbox needs it: a real drill restores the primary's.
 */
public final class SandboxSeedBackupStep extends DescribedStep {
    public SandboxSeedBackupStep() {
        super("sandbox.seed-backup");
    }

    @Override
    public StepResult apply(StepContext ctx) throws StepFailure, InterruptedException {
        String uri = ctx.setting("inputs.backupUri").filter(s -> !s.isBlank())
                .orElseThrow(() -> StepFailure.permanent("inputs.backupUri is empty: nowhere to put the sandbox backup"));
        S3Uri backup = S3Uri.parse(uri);
        Path source = Path.of(ctx.with().path("source").asString());
        Path out = ctx.workDir().resolve("seed-backup");
        try (S3Objects s3 = new S3Objects(S3Clients.open(S3Settings.of(ctx), false))) {
            Files.createDirectories(out);
            StringBuilder objects = new StringBuilder();
            for (String name : List.of("state", "manifests")) {
                Path archive = out.resolve(name + ".tar.zst");
                String sha = tarZst(source.resolve(name), archive);
                s3.put(backup.resolve(name + ".tar.zst"), archive, "application/zstd");
                objects.append(objects.length() == 0 ? "" : ",\n").append("    \"").append(name)
                        .append(".tar.zst\": {\"sha256\": \"").append(sha).append("\", \"size\": ")
                        .append(Files.size(archive)).append('}');
                ctx.log("seeded " + backup.resolve(name + ".tar.zst") + " (" + Files.size(archive) + " bytes, sha256 " + sha + ")");
            }
            String metadata = "{\n  \"schema_version\": 1,\n  \"backup_id\": \"" + backup.name()
                    + "\",\n  \"created_at\": \"1970-01-01T00:00:00Z\",\n  \"objects\": {\n" + objects + "\n  }\n}\n";
            s3.put(backup.resolve("metadata.json"), metadata.getBytes(StandardCharsets.UTF_8), "application/json");
            return new StepResult(Map.of("backup.uri", backup.toString()));
        } catch (IOException e) {
            throw StepFailure.permanent("cannot build the sandbox backup from " + source + ": " + e.getMessage());
        }
    }

    /** A tar.zst of the folder's files, sorted, with fixed metadata; returns its SHA-256. */
    static String tarZst(Path dir, Path archive) throws IOException {
        MessageDigest sha = sha256();
        try (OutputStream file = Files.newOutputStream(archive);
                DigestOutputStream digest = new DigestOutputStream(file, sha);
                ZstdOutputStream zstd = new ZstdOutputStream(digest, 3);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(zstd);
                Stream<Path> walk = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry(dir.relativize(f).toString().replace('\\', '/'));
                e.setSize(Files.size(f));
                e.setMode(0644);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.dr.steps.failback;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import dev.dr.step.ErrorClass;
import dev.dr.step.StepFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Publish outputs of the two sides compared object by object: every key below the primary's
 * and the DR's publish prefix, with the SHA-256 of its bytes (ETags are not content hashes for
 * multipart uploads). The pointer document itself is left out: it names the side, so it
 * always differs. A comparison scoped to one provider (and profile) compares the subtree
 * {@code <publish prefix>/<provider>[/<profile>]} of each side, where no pointer lives.
 */
final class Divergence {
    private Divergence() {}

    /** One key: its hash on each side, null where it is missing. */
    record Entry(String key, String primarySha256, String drSha256) {
        boolean diverges() {
            return primarySha256 == null || !primarySha256.equals(drSha256);
        }

        String describe() {
            if (primarySha256 == null) {
                return key + ": only on DR (sha256 " + drSha256 + ")";
            }
            if (drSha256 == null) {
                return key + ": only on primary (sha256 " + primarySha256 + ")";
            }
            return key + ": primary sha256 " + primarySha256 + ", DR sha256 " + drSha256;
        }
    }

    static final Set<String> POINTERS = Set.of("canonical.json", "canonical.previous.json");

    /**
     * @param primary      the primary side's prefix (its publish prefix, or a scope below it)
     * @param dr           the DR side's, the same scope
     * @param publishRoots true when the prefixes are the publish prefixes themselves, where the
     *                     pointer documents and (with primaryPrefix empty) DR's prefix live
     */
    static List<Entry> compare(S3Objects s3, S3Uri primary, S3Uri dr, boolean publishRoots) throws StepFailure {
        Map<String, String> p = hashes(s3, primary, publishRoots);
        Map<String, String> d = hashes(s3, dr, publishRoots);
        Set<String> keys = new TreeSet<>(p.keySet());
        keys.addAll(d.keySet());
        List<Entry> out = new ArrayList<>();
        for (String k : keys) {
            out.add(new Entry(k, p.get(k), d.get(k)));
        }
        return out;
    }

    private static Map<String, String> hashes(S3Objects s3, S3Uri prefix, boolean publishRoot) throws StepFailure {
        Map<String, String> out = new TreeMap<>();
        String base = prefix.key().isEmpty() ? "" : prefix.key() + "/";
        for (var o : s3.list(prefix)) {
            String rel = o.key().substring(base.length());
            if (publishRoot && (rel.startsWith("dr/") || POINTERS.contains(rel))) {
                continue; // the DR side's own prefix may live below the primary's; pointers name a side
            }
            out.put(rel, sha256(s3, new S3Uri(prefix.bucket(), o.key())));
        }
        return out;
    }

    private static String sha256(S3Objects s3, S3Uri uri) throws StepFailure {
        try (InputStream in = new DigestInputStream(s3.open(uri), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new StepFailure(ErrorClass.UNAVAILABLE, "GET " + uri + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.dr.aws;

/**
 * An {@code s3://bucket/key} address as plans and the runbook write it. The key has no
 * leading slash and no trailing one; an empty key names the bucket.
 */
public record S3Uri(String bucket, String key) {

    public S3Uri {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name"
                    + " (3 to 63 lower-case letters, digits, dots and hyphens)");
        }
        key = strip(key == null ? "" : key);
    }

    /** Parses {@code s3://bucket/key}; the message says what was expected. */
    public static S3Uri parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("'" + uri + "' is not an s3:// URI (expected s3://<bucket>/<key>)");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? new S3Uri(rest, "") : new S3Uri(rest.substring(0, slash), rest.substring(slash + 1));
    }

    /** The object or prefix {@code child} below this one. */
    public S3Uri resolve(String child) {
        String c = strip(child);
        return new S3Uri(bucket, key.isEmpty() ? c : key + "/" + c);
    }

    /** The last path segment of the key. */
    public String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + (key.isEmpty() ? "" : "/" + key);
    }

    private static String strip(String k) {
        String s = k;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }
}

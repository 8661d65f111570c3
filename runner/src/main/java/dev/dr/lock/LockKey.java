package dev.dr.lock;

import java.util.Objects;
import java.util.regex.Pattern;

/** What a drill locks: one account, region and namespace. Its id names the lock in messages. */
public record LockKey(String accountId, String region, String namespace) {
    private static final Pattern ID = Pattern.compile("([0-9]{12})/([a-z0-9-]+)/([a-z0-9-]+)");

    public LockKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(namespace, "namespace");
    }

    /** {@code 048622080012/us-east-1/jobintel}, what {@code dr force-unlock} takes. */
    public String id() {
        return accountId + "/" + region + "/" + namespace;
    }

    public static LockKey parse(String id) {
        var m = ID.matcher(id);
        if (!m.matches()) {
            throw new IllegalArgumentException("a lock id is <accountId>/<region>/<namespace>, e.g. "
                    + "048622080012/us-east-1/jobintel; was '" + id + "'");
        }
        return new LockKey(m.group(1), m.group(2), m.group(3));
    }
}

package dev.dr.steps.failback;

import dev.dr.aws.S3Objects;
import dev.dr.aws.S3Uri;
import java.nio.charset.StandardCharsets;

/** What a promoted DR run leaves in S3, for the failback steps' contract tests: dr canonical, both sides alike. */
final class FailbackPublishState {
    static final String ROOT = "s3://drill-artifacts/jobintel/";

    private FailbackPublishState() {}

    static void promoted(S3Objects s3) throws Exception {
        put(s3, "publish/latest.json", "{\"run\": 41}");
        put(s3, "dr/publish/latest.json", "{\"run\": 41}");
        put(s3, "publish/canonical.json", "{\"canonical\": \"dr\", \"publish_prefix\": \"" + ROOT + "dr/publish\"}");
    }

    private static void put(S3Objects s3, String key, String content) throws Exception {
        s3.put(S3Uri.parse(ROOT + key), content.getBytes(StandardCharsets.UTF_8), "application/json");
    }
}

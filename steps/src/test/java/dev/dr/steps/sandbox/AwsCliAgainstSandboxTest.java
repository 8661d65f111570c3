package dev.dr.steps.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aws CLI at its defaults against the sandbox's S3: current CLIs send a CRC32 checksum with
 * every upload and ask for checksums on download, which the sandbox's S3 server must verify
 * rather than refuse. Only dummy credentials, a region and the endpoint are given: the
 * AWS_*_CHECKSUM_* settings that would turn the checksums off are taken out of the environment.
 */
class AwsCliAgainstSandboxTest {
    static final String HINT = "install the AWS CLI (pip install awscli; any version from 2025 on sends checksums)";

    @TempDir
    static Path dir;
    static RunningSandbox sandbox;

    @BeforeAll
    static void start() throws Exception {
        sandbox = RunningSandbox.start(Files.createDirectories(dir.resolve("sandbox")));
    }

    @AfterAll
    static void stop() throws Exception {
        sandbox.close();
    }

    static RunningSandbox.Run aws(String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String v : new String[] {"AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION",
                "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"}) {
            env.put(v, null);
        }
        // no user configuration either: ~/.aws/config could turn the checksums off
        env.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", "sandbox");
        env.put("AWS_SECRET_ACCESS_KEY", "sandbox");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        String[] cmd = new String[args.length + 3];
        cmd[0] = "aws";
        cmd[1] = "--endpoint-url";
        cmd[2] = sandbox.s3Endpoint();
        System.arraycopy(args, 0, cmd, 3, args.length);
        return RunningSandbox.tool(dir, env, HINT, cmd);
    }

    static void ok(RunningSandbox.Run r) {
        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void copiesSmallAndMultipartFilesUpAndDownByteForByte() throws Exception {
        Path small = Files.writeString(dir.resolve("small.txt"), "jobintel sandbox\n");
        byte[] bytes = new byte[9 * 1024 * 1024 + 123]; // over the CLI's 8 MiB multipart threshold
        new Random(42).nextBytes(bytes);
        Path big = Files.write(dir.resolve("big.bin"), bytes);
        String prefix = "s3://" + RunningSandbox.BUCKET + "/cli/";

        ok(aws("s3", "cp", "--no-progress", small.toString(), prefix + "small.txt"));
        ok(aws("s3", "cp", "--no-progress", big.toString(), prefix + "big.bin"));
        RunningSandbox.Run ls = aws("s3", "ls", prefix);
        ok(ls);
        assertThat(ls.out()).contains(" 17 small.txt").contains(" " + bytes.length + " big.bin");

        ok(aws("s3", "cp", "--no-progress", prefix + "small.txt", dir.resolve("small.back").toString()));
        ok(aws("s3", "cp", "--no-progress", prefix + "big.bin", dir.resolve("big.back").toString()));
        assertThat(dir.resolve("small.back")).hasSameBinaryContentAs(small);
        assertThat(Files.mismatch(dir.resolve("big.back"), big)).isEqualTo(-1L);
    }

    @Test
    void s3apiBasicsWork() throws Exception {
        Path body = Files.writeString(dir.resolve("api.txt"), "put by s3api\n");
        ok(aws("s3api", "put-object", "--bucket", RunningSandbox.BUCKET, "--key", "api/a.txt", "--body", body.toString()));
        RunningSandbox.Run head = aws("s3api", "head-object", "--bucket", RunningSandbox.BUCKET, "--key", "api/a.txt");
        ok(head);
        assertThat(head.out()).contains("\"ContentLength\": 13");
        RunningSandbox.Run list = aws("s3api", "list-objects-v2", "--bucket", RunningSandbox.BUCKET, "--prefix", "api/");
        ok(list);
        assertThat(list.out()).contains("\"Key\": \"api/a.txt\"");
        ok(aws("s3api", "get-object", "--bucket", RunningSandbox.BUCKET, "--key", "api/a.txt",
                "--checksum-mode", "ENABLED", dir.resolve("api.back").toString()));
        assertThat(dir.resolve("api.back")).hasSameBinaryContentAs(body);
        ok(aws("s3api", "delete-object", "--bucket", RunningSandbox.BUCKET, "--key", "api/a.txt"));
    }

    @Test
    void anUploadWhoseChecksumDoesNotMatchIsRefusedAndNotStored() throws Exception {
        Path body = Files.writeString(dir.resolve("bad.txt"), "bytes the checksum does not describe\n");
        RunningSandbox.Run put = aws("s3api", "put-object", "--bucket", RunningSandbox.BUCKET, "--key", "bad/b.txt",
                "--body", body.toString(), "--checksum-crc32", "AAAAAA==");
        assertThat(put.exit()).as(put.out()).isNotZero();
        assertThat(put.out()).contains("BadDigest");
        RunningSandbox.Run ls = aws("s3", "ls", "s3://" + RunningSandbox.BUCKET + "/bad/");
        assertThat(ls.out()).doesNotContain("b.txt");
    }
}

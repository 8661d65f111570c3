package dev.dr.steps.digest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.MessageDigest;
import java.security.Provider;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

    /** Where the provider's jar on dr's class path has its native library. */
    private static boolean linuxX64() {
        return System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
    }

    @Test
    void nativeDigestLoadsWhereItsLibraryIsBuilt() {
        assumeTrue(linuxX64(), "the provider's native library on dr's class path is built for Linux on x86-64");
        assertThat(Sha256.forStream(Sha256.NATIVE_FROM).getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
        assertThat(Sha256.nativeAvailable()).isTrue();
        // once loaded, the small hashes of a job use it too
        assertThat(Sha256.forNext(0).getProvider().getName()).isEqualTo("AmazonCorrettoCryptoProvider");
    }

    @Test
    void smallStreamsUseWhatIsLoadedWithoutWaiting() {
        String small = Sha256.forStream(Sha256.NATIVE_FROM - 1).getProvider().getName();
        assertThat(small).isIn("SUN", "AmazonCorrettoCryptoProvider");
        assertThat(Sha256.forNext(Sha256.LOAD_AFTER - 1).getProvider().getName()).isIn("SUN", "AmazonCorrettoCryptoProvider");
        assertThat(Sha256.jdk().getProvider().getName()).isEqualTo("SUN");
    }

    @Test
    void nativeAndJdkDigestsAgreeInOnePieceAndInManyUpdates() {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, (1 << 20) + 3}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            String expected = Sha256.hex(Sha256.jdk().digest(data));
            MessageDigest whole = Sha256.forStream(Sha256.NATIVE_FROM);
            assertThat(Sha256.hex(whole.digest(data))).as("%d bytes at once", size).isEqualTo(expected);
            MessageDigest pieces = Sha256.forStream(Sha256.NATIVE_FROM);
            for (int off = 0; off < size; off += 777) {
                pieces.update(data, off, Math.min(777, size - off));
            }
            assertThat(Sha256.hex(pieces.digest())).as("%d bytes in pieces", size).isEqualTo(expected);
        }
    }

    @Test
    void aProviderThatFailsToLoadFallsBackToNothing() {
        assertThat(Sha256.load(() -> {
            throw new UnsatisfiedLinkError("no native library for this platform");
        })).isEmpty();
        assertThat(Sha256.load(() -> {
            throw new IllegalStateException("native library not loaded");
        })).isEmpty();
    }

    @Test
    void aLoadThatDoesNotFinishInTimeOrFailsGivesNoProvider() throws Exception {
        java.util.concurrent.FutureTask<java.util.Optional<Provider>> stuck = new java.util.concurrent.FutureTask<>(() -> {
            throw new AssertionError("never run");
        });
        long start = System.nanoTime();
        assertThat(Sha256.await(stuck, java.time.Duration.ofMillis(200))).isEmpty();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));

        java.util.concurrent.FutureTask<java.util.Optional<Provider>> failed = new java.util.concurrent.FutureTask<>(() -> {
            throw new IllegalStateException("self-test failed");
        });
        failed.run();
        assertThat(Sha256.await(failed, java.time.Duration.ofSeconds(1))).isEmpty();

        Provider jdk = Sha256.jdk().getProvider();
        java.util.concurrent.FutureTask<java.util.Optional<Provider>> done =
                new java.util.concurrent.FutureTask<>(() -> java.util.Optional.of(jdk));
        done.run();
        assertThat(Sha256.await(done, java.time.Duration.ofSeconds(1))).contains(jdk);
    }

    @Test
    void aProviderWithoutSha256OrWithAWrongOneIsRefused() {
        assertThat(Sha256.load(() -> new Provider("Empty", "1", "no services") {})).isEmpty();
        Provider wrong = new Provider("Wrong", "1", "a SHA-256 that is MD5") {
            {
                putService(new Service(this, "MessageDigest", "SHA-256", WrongDigest.class.getName(), null, null));
            }
        };
        assertThat(Sha256.load(() -> wrong)).isEmpty();
        assertThat(Sha256.load(() -> new Provider("Jdk", "1", "the JDK's") {
            {
                putService(new Service(this, "MessageDigest", "SHA-256", "sun.security.provider.SHA2$SHA256", null, null));
            }
        })).isPresent();
    }

    /** A MessageDigest spi under the wrong name: MD5 when SHA-256 was asked for. */
    public static final class WrongDigest extends java.security.MessageDigestSpi {
        private final MessageDigest md5;

        public WrongDigest() throws java.security.NoSuchAlgorithmException {
            md5 = MessageDigest.getInstance("MD5");
        }

        @Override
        protected void engineUpdate(byte input) {
            md5.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            md5.update(input, offset, len);
        }

        @Override
        protected byte[] engineDigest() {
            return md5.digest();
        }

        @Override
        protected void engineReset() {
            md5.reset();
        }
    }
}

package dev.dr.steps.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha256Test {

    @Test
    void everyDigestIsTheJdksWhateverTheSize() {
        Sha256.prepareFor(1L << 40);
        for (long bytes : new long[] {0, 1, 32L << 20, 1L << 40}) {
            assertThat(Sha256.forStream(bytes).getProvider().getName()).as("forStream(%d)", bytes).isEqualTo("SUN");
            assertThat(Sha256.forNext(bytes).getProvider().getName()).as("forNext(%d)", bytes).isEqualTo("SUN");
        }
        assertThat(Sha256.jdk().getAlgorithm()).isEqualTo("SHA-256");
    }

    @Test
    void givesTheStandardsKnownAnswers() {
        // FIPS 180-2, appendix B.1 and B.2, and the empty message
        assertThat(Sha256.hex(Sha256.forStream(3).digest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Sha256.hex(Sha256.forNext(0).digest(
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
        assertThat(Sha256.hex(Sha256.jdk().digest()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void oneUpdateAndManyGiveTheSameHash() {
        Random random = new Random(42);
        for (int size : new int[] {0, 1, 55, 56, 63, 64, 65, 1000, (1 << 20) + 3}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            String whole = Sha256.hex(Sha256.forStream(size).digest(data));
            MessageDigest pieces = Sha256.forStream(size);
            for (int off = 0; off < size; off += 777) {
                pieces.update(data, off, Math.min(777, size - off));
            }
            assertThat(Sha256.hex(pieces.digest())).as("%d bytes in pieces", size).isEqualTo(whole);
        }
    }

    @Test
    void hexIsLowerCaseTwoDigitsABytes() {
        assertThat(Sha256.hex(new byte[] {0, 10, (byte) 0xff})).isEqualTo("000aff");
    }
}

package dev.dr.steps.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bundle.Layout.NAME_ORDER compares chars, yet must order names as their UTF-8 bytes do (LC_ALL=C sort). */
class NameOrderTest {
    /** ASCII, the BMP below and above the surrogates, and code points above U+FFFF (surrogate pairs in UTF-16). */
    private static final int[] CODE_POINTS = {'a', 'b', 'Z', '/', '-', 0xE9, 0x3B1, 0xD7FF, 0xE000, 0xFF5E, 0xFFFD, 0x10000, 0x1F600,
        0x10FFFF};

    @Test
    void ordersAsTheUtf8BytesDo() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            String a = name(rnd);
            String b = rnd.nextInt(4) == 0 ? a + name(rnd) : name(rnd);
            int bytes = Integer.signum(Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
            assertThat(Integer.signum(Bundle.Layout.NAME_ORDER.compare(a, b))).as("%s vs %s", a, b).isEqualTo(bytes);
            assertThat(Integer.signum(Bundle.Layout.NAME_ORDER.compare(b, a))).as("%s vs %s", b, a).isEqualTo(-bytes);
        }
    }

    private static String name(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder();
        for (int n = rnd.nextInt(4); n >= 0; n--) {
            sb.appendCodePoint(CODE_POINTS[rnd.nextInt(CODE_POINTS.length)]);
        }
        return sb.toString();
    }
}

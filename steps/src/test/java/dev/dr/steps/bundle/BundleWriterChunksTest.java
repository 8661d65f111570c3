package dev.dr.steps.bundle;

import static dev.dr.steps.bundle.BundleFixtures.CREATED;
import static dev.dr.steps.bundle.BundleFixtures.GIT;
import static dev.dr.steps.bundle.BundleFixtures.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle larger than one compression chunk: the manifest is compressed after the files but
 * comes first, and the tar inside is the one a single tar writer would have written.
 */
class BundleWriterChunksTest {
    @TempDir
    Path tmp;

    /** About 4.5 chunks of files, some of them larger than a chunk, some empty. */
    Path bigControlPlane() throws IOException {
        Path src = BundleFixtures.controlPlane(tmp.resolve("src"));
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 1_500_000; i++) {
            big.append("{\"candidate\": ").append(i).append(", \"score\": ").append((i * 7919) % 1000).append("}\n");
        }
        BundleFixtures.write(src, "scoring/weights.csv", big.toString());
        for (int i = 0; i < 300; i++) {
            BundleFixtures.write(src, "candidates/c" + (i % 7) + "/p" + i + ".json", big.substring(i * 997, i * 997 + 10_000 + i));
        }
        BundleFixtures.write(src, "alerts/empty.yaml", "");
        return src;
    }

    @Test
    void theTarInsideIsWhatOneTarWriterWritesWithTheManifestFirst() throws IOException {
        Bundle b = BundleWriter.write(bigControlPlane(), tmp.resolve("b.tar.gz"), GIT, IMAGE, CREATED);
        byte[] tar;
        try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(b.archive()))) {
            tar = in.readAllBytes(); // one gzip member: this reader stops after the first
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(b.archive()))) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
        assertThat(tar.length).isGreaterThan(4 * ChunkedGzip.CHUNK);
        assertThat(tar.length % 512).isZero();

        // the same entries through one TarArchiveOutputStream, as the writer used to make them
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8");
                TarArchiveOutputStream out = new TarArchiveOutputStream(again, StandardCharsets.UTF_8.name())) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            out.setAddPaxHeadersForNonAsciiNames(true);
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                byte[] content = in.readAllBytes();
                TarArchiveEntry copy = new TarArchiveEntry(e.getName());
                copy.setMode(e.getMode());
                copy.setSize(content.length);
                copy.setLastModifiedTime(e.getLastModifiedTime());
                copy.setIds(0, 0);
                copy.setNames("", "");
                out.putArchiveEntry(copy);
                out.write(content);
                out.closeArchiveEntry();
                if (e.isFile() && !e.getName().endsWith("/manifest.json")) {
                    String path = e.getName().substring("control-plane/".length());
                    BundleFile listed = b.manifest().files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
                    assertThat(listed).isEqualTo(new BundleFile(path, BundleFixtures.sha256(content), content.length));
                }
            }
        }
        assertThat(names.subList(0, 2)).containsExactly("control-plane/", "control-plane/manifest.json");
        byte[] expected = again.toByteArray();
        // the first byte that differs, if any: the arrays are too long to print
        assertThat(Arrays.mismatch(expected, tar)).as("%d bytes expected, %d written", expected.length, tar.length).isEqualTo(-1);
    }

    @Test
    void aBundleOfManyChunksIsByteIdenticalFromRunToRun() throws IOException {
        Path src = bigControlPlane();
        Bundle one = BundleWriter.write(src, tmp.resolve("one.tar.gz"), GIT, IMAGE, CREATED);
        Bundle two = BundleWriter.write(src, tmp.resolve("two.tar.gz"), GIT, IMAGE, CREATED);
        assertThat(Files.readAllBytes(two.archive())).isEqualTo(Files.readAllBytes(one.archive()));
        assertThat(two.sha256()).isEqualTo(one.sha256()).isEqualTo(BundleFixtures.sha256(one.archive()));
        assertThat(one.size()).isEqualTo(Files.size(one.archive()));
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("src", "one.tar.gz", "two.tar.gz");
        }
    }
}

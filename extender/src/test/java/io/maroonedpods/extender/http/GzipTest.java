package io.maroonedpods.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Pooled Deflaters produce standard gzip, answer after answer, whatever the size or compressibility. */
class GzipTest {

    @Test
    void everyAnswerDecompressesToItsBody() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            byte[] body = new byte[1 + random.nextInt(300_000)];
            if (round % 2 == 0) {
                random.nextBytes(body); // incompressible: the output outgrows its first guess
            } else {
                java.util.Arrays.fill(body, (byte) 'x');
            }
            int length = body.length - random.nextInt(body.length); // only the first `length` bytes are the answer

            byte[] gzipped = Gzip.compress(body, length);

            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOf(body, length));
            }
        }
    }
}

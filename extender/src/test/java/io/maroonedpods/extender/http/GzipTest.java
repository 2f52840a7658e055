package io.maroonedpods.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Pooled Deflaters produce standard gzip, answer after answer, whole or streamed, whatever the size or compressibility. */
class GzipTest {

    @Test
    void everyAnswerDecompressesToItsBody() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            byte[] body = new byte[1 + random.nextInt(300_000)];
            if (round % 2 == 0) {
                random.nextBytes(body); // incompressible: the output outgrows its first guess
            } else {
                Arrays.fill(body, (byte) 'x');
            }
            int length = body.length - random.nextInt(body.length); // only the first `length` bytes are the answer

            byte[] gzipped = Gzip.compress(body, length);

            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
                assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOf(body, length));
            }
        }
    }

    @Test
    void aStreamedAnswerDecompressesToEverythingWrittenInWhateverPieces() throws IOException {
        Random random = new Random(7);
        for (int round = 0; round < 10; round++) {
            byte[] body = new byte[random.nextInt(400_000)];
            if (round % 2 == 0) {
                random.nextBytes(body);
            } else {
                Arrays.fill(body, (byte) 'y');
            }
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            try (OutputStream out = Gzip.stream(sent)) {
                for (int at = 0; at < body.length; ) {
                    int piece = Math.min(body.length - at, 1 + random.nextInt(70_000));
                    out.write(body, at, piece);
                    at += piece;
                }
            }

            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(sent.toByteArray()))) {
                assertThat(in.readAllBytes()).isEqualTo(body);
            }
        }
    }
}

package io.maroonedpods.extender.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSinkTest {

    /** What a spill saw: when it was opened, with which expected size, and each piece written to it. */
    static final class Recorder extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> pieces = new ArrayList<>();
        long expected = -1;
        boolean closed;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            pieces.add(len);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void anAnswerWithinAChunkStaysInTheSink() {
        Recorder spill = new Recorder();
        ByteSink sink = new ByteSink(64);
        sink.spillTo((expected, exact) -> spill, 1024);

        sink.ascii("x".repeat(1024));

        assertThat(sink.spilled()).isFalse();
        assertThat(sink.size()).isEqualTo(1024);
        assertThat(spill.pieces).isEmpty();
    }

    @Test
    void anAnswerBeyondAChunkGoesOnInChunksInOrderAndTheSinkNeverHoldsMore() throws IOException {
        Random random = new Random(3);
        byte[] answer = new byte[50_000];
        random.nextBytes(answer);
        Recorder spill = new Recorder();
        ByteSink sink = new ByteSink(64);
        sink.spillTo(
                (expected, exact) -> {
                    spill.expected = exact ? expected : -expected;
                    return spill;
                },
                4096);
        sink.reserveExactly(50_000);

        for (int at = 0; at < answer.length; ) {
            int piece = Math.min(answer.length - at, 1 + random.nextInt(300));
            sink.write(answer, at, piece);
            at += piece;
            assertThat(sink.capacity()).isLessThanOrEqualTo(4096);
        }
        sink.finish();

        assertThat(spill.bytes.toByteArray()).isEqualTo(answer);
        assertThat(spill.pieces).allMatch(n -> n <= 4096);
        assertThat(spill.expected)
                .as("the announced exact size, for the Content-Length")
                .isEqualTo(50_000);
        assertThat(spill.closed).isTrue();
    }

    @Test
    void aWriteLargerThanAChunkGoesOnWholeAfterWhatIsHeld() throws IOException {
        byte[] large = new byte[10_000];
        new Random(5).nextBytes(large);
        Recorder spill = new Recorder();
        ByteSink sink = new ByteSink(64);
        sink.spillTo((expected, exact) -> spill, 4096);

        sink.ascii("head");
        sink.write(large, 0, large.length);
        sink.ascii("tail");
        sink.finish();

        assertThat(spill.pieces).containsExactly(4, 10_000, 4);
        assertThat(spill.bytes.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo("head" + new String(large, StandardCharsets.ISO_8859_1) + "tail");
        assertThat(sink.capacity()).as("not grown for the large write").isLessThanOrEqualTo(4096);
    }

    @Test
    void resetForgetsTheSpill() {
        Recorder spill = new Recorder();
        ByteSink sink = new ByteSink(64);
        sink.spillTo((expected, exact) -> spill, 16);
        sink.ascii("0123456789");
        sink.ascii("abcdefXYZ");
        assertThat(sink.spilled()).isTrue();

        sink.reset();
        sink.ascii("0123456789abcdefXYZ");

        assertThat(sink.spilled()).isFalse();
        assertThat(sink.toString()).isEqualTo("0123456789abcdefXYZ");
    }
}

package io.maroonedpods.extender.http;

import io.maroonedpods.extender.wire.BadRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.function.BooleanSupplier;

/**
 * A request body read as its bytes arrive: into pooled chunks, each charged to the {@link BodyBudget} before it is
 * filled, then copied into one array of exactly the bytes received. Nothing is sized from the announced
 * Content-Length, so announcing 4 MiB and sending one byte holds one chunk. The verbs get the usual single array (the
 * JSON readers keep byte offsets into it); with the chunks pooled, a request allocates that array and nothing more. A
 * read ended by the connection's deadline ({@link StalledConnections}) is answered 408.
 */
final class ArrivingBody {
    /** Helidon hands a plain connection's data on in reads of at most 8 KiB (NioSocket's buffer). */
    static final int CHUNK_BYTES = 8 * 1024;
    /** 1 MiB kept between requests: a 5,000-name filter request (70 KB) takes 9 chunks, 16 of them in flight 144. */
    private static final ArrayBlockingQueue<byte[]> POOL = new ArrayBlockingQueue<>(128);

    private final BodyBudget budget;
    private final BooleanSupplier cutShort;
    private final long timeoutSeconds;
    private byte[][] chunks = new byte[16][];
    private int count;
    private int fill = CHUNK_BYTES;
    private long received;

    private ArrivingBody(BodyBudget budget, BooleanSupplier cutShort, long timeoutSeconds) {
        this.budget = budget;
        this.cutShort = cutShort;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * Reads {@code in} to its end (the body limit is Helidon's, which stops the stream with a 413 as a chunked body
     * passes it). {@code cutShort} tells whether a read that ended early was ended by the read timeout, which is
     * {@code timeoutSeconds}. The array returned is charged to the budget by its length: the caller gives that back
     * when it is done with it.
     */
    static byte[] read(InputStream in, BodyBudget budget, BooleanSupplier cutShort, long timeoutSeconds)
            throws IOException {
        ArrivingBody body = new ArrivingBody(budget, cutShort, timeoutSeconds);
        try {
            body.receive(in);
            return body.assemble();
        } finally {
            body.release();
        }
    }

    private void receive(InputStream in) throws IOException {
        while (true) {
            if (fill == CHUNK_BYTES) {
                addChunk();
            }
            int read;
            try {
                read = in.read(chunks[count - 1], fill, CHUNK_BYTES - fill);
            } catch (NumberFormatException e) {
                // Helidon parses a chunk size with Integer.parseUnsignedInt and lets its exception out: a client error,
                // not a 500.
                throw new BadRequestException(
                        "malformed request body framing: a chunk size is not a hexadecimal " + "number below 2^31");
            } catch (IOException | RuntimeException e) {
                if (cutShort.getAsBoolean()) {
                    throw timedOut();
                }
                throw e;
            }
            if (read < 0) {
                if (cutShort.getAsBoolean()) {
                    throw timedOut();
                }
                return;
            }
            fill += read;
            received += read;
        }
    }

    private BadRequestException timedOut() {
        return new BadRequestException(
                408,
                "request body not complete within " + timeoutSeconds + " s (extender.readTimeoutSeconds): " + received
                        + " bytes received");
    }

    private void addChunk() {
        if (!budget.tryTake(CHUNK_BYTES)) {
            throw new BadRequestException(
                    503,
                    "busy: request bodies in flight have reached " + budget.limit()
                            + " bytes (extender.bodiesInFlightBytes), retry shortly");
        }
        byte[] chunk = POOL.poll();
        if (count == chunks.length) {
            chunks = Arrays.copyOf(chunks, count * 2);
        }
        chunks[count++] = chunk != null ? chunk : new byte[CHUNK_BYTES];
        fill = 0;
    }

    /** One array of the bytes received; its length stays charged, the chunks go back (see {@link #release}). */
    private byte[] assemble() {
        if (received == 0) {
            throw new BadRequestException("request body is empty: expected JSON");
        }
        byte[] body = new byte[(int) received];
        for (int i = 0; i < count; i++) {
            int length = i == count - 1 ? fill : CHUNK_BYTES;
            System.arraycopy(chunks[i], 0, body, i * CHUNK_BYTES, length);
        }
        budget.take(received);
        return body;
    }

    private void release() {
        for (int i = 0; i < count; i++) {
            POOL.offer(chunks[i]);
            chunks[i] = null;
        }
        budget.give((long) count * CHUNK_BYTES);
        count = 0;
    }
}

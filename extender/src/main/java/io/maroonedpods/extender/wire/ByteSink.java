package io.maroonedpods.extender.wire;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer whose array is handed to the server without a copy. Unlike ByteArrayOutputStream it takes
 * no lock per write: an answer is built by one thread, and a 5,000-node answer is some 20,000 small writes.
 *
 * <p>Given a {@link Spill}, a sink holds at most one chunk: an answer that outgrows it is sent on in chunks as it is
 * written, so a request in flight holds a chunk, not its whole answer. An answer whose exact length was announced
 * ({@link #reserveExactly}) goes out with that Content-Length, each chunk written from this buffer without a copy.
 */
public final class ByteSink extends OutputStream {
    private static final byte[] EMPTY = new byte[0];
    private final int initialCapacity;
    private byte[] buffer = EMPTY;
    private int size;
    private Spill spill;
    private int chunk = Integer.MAX_VALUE;
    private long expected;
    private boolean exact;
    private OutputStream downstream;

    /** Where an answer goes once it outgrows a chunk: the response, opened then (its status and headers committed). */
    @FunctionalInterface
    public interface Spill {
        /**
         * @param expectedBytes the answer's length as far as known: at least what was written, or what was reserved
         * @param exact         whether {@code expectedBytes} is the answer's exact length
         */
        OutputStream open(long expectedBytes, boolean exact) throws IOException;
    }

    /** Allocates nothing yet: a writer that knows its size {@link #reserve reserves} it exactly instead. */
    public ByteSink(int initialCapacity) {
        this.initialCapacity = Math.max(64, initialCapacity);
    }

    /**
     * Makes room for {@code bytes} more bytes in one allocation. A 5,000-node filter answer is about 500 KB: sized
     * up front it costs one array, grown from a guess two or three (the garbage of every request counts under load).
     */
    public void reserve(int bytes) {
        expected = Math.max(expected, size + (long) bytes);
        if (size + bytes > buffer.length && size + bytes <= chunk) {
            buffer = Arrays.copyOf(buffer, size + bytes);
        }
    }

    /** Like {@link #reserve}, and promises that the answer will be exactly {@code bytes} long from here. */
    public void reserveExactly(int bytes) {
        reserve(bytes);
        expected = size + (long) bytes;
        exact = true;
    }

    /** From now until {@link #reset}, whatever passes {@code chunkBytes} goes on to {@code spill}. */
    public void spillTo(Spill spill, int chunkBytes) {
        this.spill = spill;
        this.chunk = chunkBytes;
    }

    /** Whether the answer went on to the spill: then {@link #finish} sends the rest and closes it. */
    public boolean spilled() {
        return downstream != null;
    }

    /** Sends what is held to the spill, and closes it. */
    public void finish() throws IOException {
        if (size > 0) {
            downstream.write(buffer, 0, size);
            size = 0;
        }
        downstream.close();
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        if (spill != null && length > chunk) {
            // More than a chunk at once (the names of an ordinary pod's answer, in one slice of the request): sent on
            // from the caller's array, after what is held, rather than copied through a buffer grown for it.
            sendChunk(length);
            try {
                downstream.write(bytes, offset, length);
            } catch (IOException e) {
                throw new UncheckedIOException("sending the answer: " + e.getMessage(), e);
            }
            return;
        }
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Writes ASCII text (JSON punctuation and fixed keys). */
    public void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            buffer[size++] = (byte) text.charAt(i);
        }
    }

    /** Empties the sink, keeping its array for the next answer; forgets the spill. */
    public void reset() {
        size = 0;
        spill = null;
        chunk = Integer.MAX_VALUE;
        expected = 0;
        exact = false;
        downstream = null;
    }

    /** The length of its array: what it holds on to between answers. */
    public int capacity() {
        return buffer.length;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return new String(buffer, 0, size, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (spill != null && size + more > chunk && size > 0) {
            sendChunk(more);
        }
        if (size + more > buffer.length) {
            int grown = Math.min(Math.max(buffer.length * 2, initialCapacity), chunk);
            buffer = Arrays.copyOf(buffer, Math.max(grown, size + more));
        }
    }

    private void sendChunk(int more) {
        try {
            if (downstream == null) {
                downstream = spill.open(exact ? expected : Math.max(expected, (long) size + more), exact);
            }
            if (size > 0) {
                // Never an empty write: to a chunked response it could read as the last chunk.
                downstream.write(buffer, 0, size);
                size = 0;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("sending the answer: " + e.getMessage(), e);
        }
    }
}

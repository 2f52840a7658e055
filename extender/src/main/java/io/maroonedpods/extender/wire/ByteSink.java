package io.maroonedpods.extender.wire;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer whose array is handed to the server without a copy. Unlike ByteArrayOutputStream it takes
 * no lock per write: an answer is built by one thread, and a 5,000-node answer is some 20,000 small writes.
 */
public final class ByteSink extends OutputStream {
    private static final byte[] EMPTY = new byte[0];
    private final int initialCapacity;
    private byte[] buffer = EMPTY;
    private int size;

    /** Allocates nothing yet: a writer that knows its size {@link #reserve reserves} it exactly instead. */
    public ByteSink(int initialCapacity) {
        this.initialCapacity = Math.max(64, initialCapacity);
    }

    /**
     * Makes room for {@code bytes} more bytes in one allocation. A 5,000-node filter answer is about 500 KB: sized
     * up front it costs one array, grown from a guess two or three (the garbage of every request counts under load).
     */
    public void reserve(int bytes) {
        if (size + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, size + bytes);
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
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

    /** Empties the sink, keeping its array for the next answer. */
    public void reset() {
        size = 0;
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
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(Math.max(buffer.length * 2, initialCapacity), size + more));
        }
    }
}

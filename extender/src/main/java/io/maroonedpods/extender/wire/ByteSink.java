package io.maroonedpods.extender.wire;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer whose array is handed to the server without a copy. Unlike ByteArrayOutputStream it takes
 * no lock per write: an answer is built by one thread, and a 5,000-node answer is some 20,000 small writes.
 */
public final class ByteSink extends OutputStream {
    private byte[] buffer;
    private int size;

    public ByteSink(int initialCapacity) {
        buffer = new byte[Math.max(64, initialCapacity)];
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
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}

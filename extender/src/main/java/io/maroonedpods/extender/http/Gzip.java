package io.maroonedpods.extender.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Gzip (RFC 1952) with pooled Deflaters. A new Deflater allocates and clears some 256 KB of native zlib state: at
 * thousands of small answers per second (a 100-node filter answer is 9 KB) that setup costs more than compressing.
 */
final class Gzip {
    /** Compression runs on the carrier threads (one per core) without yielding: a few Deflaters are enough. */
    private static final int POOLED = 4;

    private static final ArrayBlockingQueue<Deflater> POOL = new ArrayBlockingQueue<>(POOLED);
    /** Magic, deflate, no flags, no mtime, no extra flags, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private Gzip() {}

    static byte[] compress(byte[] body, int length) {
        Deflater deflater = take();
        try {
            deflater.setInput(body, 0, length);
            deflater.finish();
            byte[] out = new byte[Math.max(64, length / 4) + HEADER.length + 8];
            System.arraycopy(HEADER, 0, out, 0, HEADER.length);
            int size = HEADER.length;
            while (!deflater.finished()) {
                if (size == out.length - 8) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                size += deflater.deflate(out, size, out.length - 8 - size);
            }
            CRC32 crc = new CRC32();
            crc.update(body, 0, length);
            size = putIntLittleEndian(out, size, (int) crc.getValue());
            size = putIntLittleEndian(out, size, length);
            return size == out.length ? out : Arrays.copyOf(out, size);
        } finally {
            give(deflater);
        }
    }

    /** Gzips whatever is written on to {@code downstream}; closing it writes the gzip trailer and closes downstream. */
    static OutputStream stream(OutputStream downstream) throws IOException {
        downstream.write(HEADER);
        return new Stream(downstream, take());
    }

    private static Deflater take() {
        Deflater deflater = POOL.poll();
        return deflater != null ? deflater : new Deflater(Deflater.BEST_SPEED, true);
    }

    private static void give(Deflater deflater) {
        deflater.reset();
        if (!POOL.offer(deflater)) {
            deflater.end();
        }
    }

    private static final class Stream extends OutputStream {
        private final OutputStream downstream;
        private final CRC32 crc = new CRC32();
        private final byte[] out = new byte[16 * 1024];
        private Deflater deflater;
        private long length;

        Stream(OutputStream downstream, Deflater deflater) {
            this.downstream = downstream;
            this.deflater = deflater;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int count) throws IOException {
            crc.update(bytes, offset, count);
            length += count;
            deflater.setInput(bytes, offset, count);
            while (!deflater.needsInput()) {
                drain();
            }
        }

        @Override
        public void close() throws IOException {
            if (deflater == null) {
                return;
            }
            try {
                deflater.finish();
                while (!deflater.finished()) {
                    drain();
                }
                byte[] trailer = new byte[8];
                putIntLittleEndian(trailer, putIntLittleEndian(trailer, 0, (int) crc.getValue()), (int) length);
                downstream.write(trailer);
            } finally {
                give(deflater);
                deflater = null;
            }
            downstream.close();
        }

        private void drain() throws IOException {
            int n = deflater.deflate(out);
            if (n > 0) {
                downstream.write(out, 0, n);
            }
        }
    }

    private static int putIntLittleEndian(byte[] out, int at, int value) {
        for (int i = 0; i < 4; i++) {
            out[at + i] = (byte) (value >>> (8 * i));
        }
        return at + 4;
    }
}

package io.maroonedpods.extender.http;

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

    private Gzip() {
    }

    static byte[] compress(byte[] body, int length) {
        Deflater deflater = POOL.poll();
        if (deflater == null) {
            deflater = new Deflater(Deflater.BEST_SPEED, true);
        }
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
            deflater.reset();
            if (!POOL.offer(deflater)) {
                deflater.end();
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

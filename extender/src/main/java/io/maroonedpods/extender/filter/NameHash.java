package io.maroonedpods.extender.filter;

import java.nio.charset.StandardCharsets;

/**
 * A hash of a node name's UTF-8 bytes, the same whether computed from a decoded String or straight from the request
 * body: the informer view answers "surely not a dedicated node" from it without a String per candidate.
 */
public final class NameHash {
    private NameHash() {
    }

    public static int of(byte[] bytes, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + bytes[i];
        }
        // Murmur3's finalizer: the probes take different bits of the result, so every bit must depend on every byte.
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    public static int of(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return of(bytes, 0, bytes.length);
    }
}

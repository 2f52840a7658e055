package io.maroonedpods.extender.nodes;

import io.maroonedpods.extender.filter.NameHash;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A Bloom filter of the cached dedicated-node names, by {@link io.maroonedpods.extender.filter.NameHash}: "surely no
 * dedicated node has this name" for most candidates of a NodeNames request, read from the request's bytes without
 * a String or a map lookup per name. A "maybe" is checked against the cache itself, so a false alarm only costs the
 * lookup. Names are never removed (a Bloom filter cannot): the owner rebuilds it from the cache once it has taken
 * twice the names it was sized for. About 32 bits per name and three probes: some 0.1% false alarms when sized.
 */
final class NameFilter {
    private static final int BITS_PER_NAME = 32;
    private static final int MIN_BITS = 1 << 16;
    private static final int PROBES = 3;

    private final AtomicLongArray words;
    private final int mask;
    private final int capacity;
    private int added;

    private NameFilter(int bits) {
        this.words = new AtomicLongArray(bits / 64);
        this.mask = bits - 1;
        this.capacity = 2 * bits / BITS_PER_NAME;
    }

    /** Room for {@code names} names at the nominal rate (a power of two of bits, at least 8 KB). */
    static NameFilter sizedFor(int names) {
        long wanted = Math.max(MIN_BITS, (long) names * BITS_PER_NAME);
        return new NameFilter((int) Math.min(1 << 30, Long.highestOneBit(wanted - 1) << 1));
    }

    /** Writers are serialized by the owner; readers need no lock (each bit is set before the name is cached). */
    private void add(int hash) {
        int step = step(hash);
        for (int i = 0; i < PROBES; i++) {
            int bit = (hash + i * step) & mask;
            words.set(bit >>> 6, words.get(bit >>> 6) | 1L << bit); // one writer at a time: no lost update
        }
        added++;
    }

    boolean mightContain(int hash) {
        int step = step(hash);
        for (int i = 0; i < PROBES; i++) {
            int bit = (hash + i * step) & mask;
            if ((words.get(bit >>> 6) & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * This filter with {@code name} added; once it holds twice the names it was sized for, a new filter of the names
     * still {@code cached} and {@code name} instead (so names of nodes long gone stop raising false alarms).
     */
    NameFilter with(String name, Collection<String> cached) {
        NameFilter filter = this;
        if (added > capacity) {
            filter = sizedFor(cached.size() + 1);
            for (String other : cached) {
                filter.add(NameHash.of(other));
            }
        }
        filter.add(NameHash.of(name));
        return filter;
    }

    /** Double hashing (Kirsch-Mitzenmacher): the probes from one 32-bit hash; odd, so they never coincide. */
    private static int step(int hash) {
        return Integer.rotateLeft(hash, 16) * 0x9e3779b9 | 1;
    }
}

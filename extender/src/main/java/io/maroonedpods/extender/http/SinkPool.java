package io.maroonedpods.extender.http;

import io.maroonedpods.extender.wire.ByteSink;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Answer buffers reused from one request to the next. A filter answer is 10 KB for 100 nodes and 70-400 KB for
 * 5,000: allocated per request, it was a fifth of all allocation, and every young collection is a pause for every
 * request in flight. Safe to reuse once the answer is sent: the server copies it before {@code send} returns.
 */
final class SinkPool {
    /** About the requests in progress at once on two cores (a handler runs without yielding but for I/O). */
    private static final int POOLED = 4;
    /** Larger arrays are left to the collector: the pool must not pin megabytes in the 64 MB heap. */
    private static final int MAX_KEPT = 1 << 20;
    private static final int INITIAL = 8 * 1024;

    private final ArrayBlockingQueue<ByteSink> idle = new ArrayBlockingQueue<>(POOLED);

    ByteSink take() {
        ByteSink sink = idle.poll();
        return sink != null ? sink : new ByteSink(INITIAL);
    }

    void give(ByteSink sink) {
        if (sink.capacity() <= MAX_KEPT) {
            sink.reset();
            idle.offer(sink);
        }
    }
}

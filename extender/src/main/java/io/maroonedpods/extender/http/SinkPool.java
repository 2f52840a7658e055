package io.maroonedpods.extender.http;

import io.maroonedpods.extender.wire.ByteSink;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Answer buffers reused from one request to the next. A filter answer is 10 KB for 100 nodes and 70-400 KB for
 * 5,000: allocated per request, it would be a large share of all allocation, and every young collection is a pause
 * for every request in flight. Safe to reuse once the answer is sent: the server copies it, or has written it,
 * before {@code send} or a stream's {@code write} returns. A buffer holds one chunk at most
 * ({@link VerbHandler#CHUNK_BYTES}).
 */
final class SinkPool {
    /** Enough for 16 requests in flight at once (the scheduler sends one at a time): 1 MB of buffers at most. */
    private static final int POOLED = 16;
    /** Larger arrays (one write of over a chunk) are left to the collector. */
    private static final int MAX_KEPT = 2 * VerbHandler.CHUNK_BYTES;

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

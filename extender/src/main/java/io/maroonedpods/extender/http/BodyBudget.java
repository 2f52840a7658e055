package io.maroonedpods.extender.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies all connections hold at once. A body takes its share as its bytes arrive, never from
 * the length it announces, so a client that announces 4 MiB and sends one byte holds one chunk; when the bound is
 * reached the body that would pass it is refused instead of the heap running out.
 */
public final class BodyBudget {
    private final long limit;
    private final AtomicLong held = new AtomicLong();

    public BodyBudget(long limit) {
        this.limit = limit;
    }

    /** Takes {@code bytes} if they fit under the bound; false (and nothing taken) if not. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > limit) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Takes {@code bytes} whatever the bound: for an array that replaces a larger share about to be given back. */
    void take(long bytes) {
        held.addAndGet(bytes);
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    public long held() {
        return held.get();
    }

    public long limit() {
        return limit;
    }
}

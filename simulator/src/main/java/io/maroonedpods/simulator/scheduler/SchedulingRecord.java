package io.maroonedpods.simulator.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** What the drivers decided, kept for the summary: FailedScheduling counts and a sample of distinct reasons. */
public final class SchedulingRecord {
    private static final int SAMPLE_SIZE = 10;

    private final AtomicLong failedScheduling = new AtomicLong();
    private final AtomicLong scheduled = new AtomicLong();
    private final Set<String> shapes = new LinkedHashSet<>();
    private final List<String> sample = new ArrayList<>();

    public void failedScheduling(String message) {
        failedScheduling.incrementAndGet();
        synchronized (sample) {
            if (sample.size() < SAMPLE_SIZE && shapes.add(shapeOf(message))) {
                sample.add(message);
            }
        }
    }

    /**
     * The message with every run of hex digits and dashes that holds a digit (pod UIDs, counts, seconds) replaced by
     * {@code #}: messages that differ only in those have one shape. A plain scan: this runs on every failure, and a
     * regex over messages naming a thousand nodes cost the simulated scheduler a third of its time.
     */
    static String shapeOf(String message) {
        StringBuilder shape = new StringBuilder(message.length());
        int i = 0;
        while (i < message.length()) {
            int end = i;
            boolean digit = false;
            while (end < message.length() && isHexOrDash(message.charAt(end))) {
                digit |= Character.isDigit(message.charAt(end));
                end++;
            }
            if (end == i) {
                shape.append(message.charAt(i++));
            } else {
                shape.append(digit ? "#" : message.substring(i, end));
                i = end;
            }
        }
        return shape.toString();
    }

    private static boolean isHexOrDash(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c == '-';
    }

    public void scheduled() {
        scheduled.incrementAndGet();
    }

    /** Drops everything recorded so far (the simulator's warm-up). */
    public void forget() {
        failedScheduling.set(0);
        scheduled.set(0);
        synchronized (sample) {
            shapes.clear();
            sample.clear();
        }
    }

    public long failedSchedulingCount() {
        return failedScheduling.get();
    }

    public long scheduledCount() {
        return scheduled.get();
    }

    /** Up to ten FailedScheduling messages of different shapes, first seen first. */
    public List<String> sample() {
        synchronized (sample) {
            return List.copyOf(sample);
        }
    }
}

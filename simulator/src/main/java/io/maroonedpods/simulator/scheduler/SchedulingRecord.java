package io.maroonedpods.simulator.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/** What the drivers decided, kept for the summary: FailedScheduling counts and a sample of distinct reasons. */
public final class SchedulingRecord {
    private static final int SAMPLE_SIZE = 10;
    /** Pod UIDs and seconds make every message unique; the sample groups messages that differ only in them. */
    private static final Pattern VARIABLE = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\\d+(\\.\\d+)? ?s\\b");

    private final AtomicLong failedScheduling = new AtomicLong();
    private final AtomicLong scheduled = new AtomicLong();
    private final Set<String> shapes = new LinkedHashSet<>();
    private final List<String> sample = new ArrayList<>();

    public void failedScheduling(String message) {
        failedScheduling.incrementAndGet();
        String shape = VARIABLE.matcher(message).replaceAll("#");
        synchronized (sample) {
            if (sample.size() < SAMPLE_SIZE && shapes.add(shape)) {
                sample.add(message);
            }
        }
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

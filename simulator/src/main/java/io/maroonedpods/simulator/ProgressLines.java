package io.maroonedpods.simulator;

import io.maroonedpods.simulator.report.Timeline;
import java.util.Locale;

/** The progress line of a run, as the time since its start and where its pods are. */
final class ProgressLines {
    private ProgressLines() {}

    static String pool(long elapsedMillis, long available, int wanted) {
        return String.format(
                Locale.ROOT,
                "[%6.1f s] filling the warm pool before creating pods: %d/%d pool nodes verified and available",
                elapsedMillis / 1000.0,
                available,
                wanted);
    }

    static String burst(long elapsedMillis, int pods, Timeline timeline, long failedScheduling) {
        return String.format(
                Locale.ROOT,
                "[%6.1f s] maroon pods %d | VMIs created %d | nodes verified %d | bound %d/%d | FailedScheduling %d",
                elapsedMillis / 1000.0,
                pods,
                timeline.vmiCount(),
                timeline.verifiedCount(),
                timeline.boundCount(),
                pods,
                failedScheduling);
    }
}

package io.maroonedpods.extender.config;

import java.util.ArrayList;
import java.util.List;

/**
 * What one client may hold of the extender: the limits that keep a slow or hostile client from starving the scheduler's
 * own calls, and a few connections announcing large bodies from exhausting a small heap.
 *
 * @param bodiesInFlightBytes bytes of request bodies held at once across all connections, received or being assembled;
 *                            a body that would pass it is refused (503) and its connection closed
 * @param readTimeoutSeconds  a request's head (TLS handshake, request line, headers) must arrive within this time of
 *                            the connect or the last answer, and its body within this time of its head; else the
 *                            connection is closed (a body is answered 408 first)
 * @param maxConnections      TCP connections served at once; more wait in the listen backlog
 */
public record ConnectionLimits(long bodiesInFlightBytes, int readTimeoutSeconds, int maxConnections) {
    public static final int DEFAULT_READ_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;

    /** A quarter of the JVM's maximum heap: 15 MB under the shipped -Xmx64m, whose live heap is about 30 MB. */
    public static long defaultBodiesInFlightBytes() {
        return Runtime.getRuntime().maxMemory() / 4;
    }

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(
                defaultBodiesInFlightBytes(), DEFAULT_READ_TIMEOUT_SECONDS, DEFAULT_MAX_CONNECTIONS);
    }

    /** Problems with these limits, each naming its key; a body up to the limit must fit in the bodies in flight. */
    List<String> problems(long bodyLimitBytes) {
        List<String> problems = new ArrayList<>();
        if (bodiesInFlightBytes < bodyLimitBytes) {
            problems.add("extender.bodiesInFlightBytes: must be at least extender.bodyLimitBytes (" + bodyLimitBytes
                    + "), got " + bodiesInFlightBytes
                    + (bodiesInFlightBytes == defaultBodiesInFlightBytes()
                            ? " (the default: a quarter of the heap, -Xmx); lower extender.bodyLimitBytes or raise -Xmx"
                            : ""));
        }
        if (readTimeoutSeconds < 1 || readTimeoutSeconds > 3600) {
            problems.add("extender.readTimeoutSeconds: must be 1..3600, got " + readTimeoutSeconds);
        }
        if (maxConnections < 1) {
            problems.add("extender.maxConnections: must be >= 1, got " + maxConnections);
        }
        return problems;
    }
}

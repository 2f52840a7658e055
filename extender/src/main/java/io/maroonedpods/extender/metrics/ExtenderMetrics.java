package io.maroonedpods.extender.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The extender's Prometheus metrics, kept in lock-free adders (the scheduler calls us on every attempt; recording a
 * request must cost nanoseconds) and rendered in the text exposition format 0.0.4.
 */
public final class ExtenderMetrics {
    /** Latency buckets in seconds: the interesting range is 100 us .. the scheduler's 5 s timeout. */
    private static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5, 5};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> binds = new ConcurrentHashMap<>();
    private final IntSupplier cachedNodes;
    private final LongSupplier bodyBytesInFlight;

    /**
     * @param cachedNodes       dedicated nodes the informers hold
     * @param bodyBytesInFlight bytes of request bodies held now, received or assembled (the bodies-in-flight bound)
     */
    public ExtenderMetrics(IntSupplier cachedNodes, LongSupplier bodyBytesInFlight) {
        this.cachedNodes = cachedNodes;
        this.bodyBytesInFlight = bodyBytesInFlight;
    }

    /** One request of a verb (filter, prioritize, preempt, bind, other) answered with a status after some nanos. */
    public void request(String verb, int status, long nanos) {
        requests.computeIfAbsent(verb + "\u0000" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(verb, k -> new Histogram()).observe(nanos / 1e9);
    }

    /** One filter decision: maroon_passed, maroon_rejected, other (not a maroon pod). */
    public void decision(String outcome) {
        decisions.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    /** One bind: bound, already_bound, refused, api_error. */
    public void bind(String outcome) {
        binds.computeIfAbsent(outcome, k -> new LongAdder()).increment();
    }

    public String render() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP extender_requests_total Requests answered, by verb and HTTP status.\n");
        out.append("# TYPE extender_requests_total counter\n");
        new TreeMap<>(requests).forEach((key, count) -> {
            String[] verbAndStatus = key.split("\u0000");
            out.append("extender_requests_total{verb=\"").append(verbAndStatus[0]).append("\",code=\"")
                    .append(verbAndStatus[1]).append("\"} ").append(count.sum()).append('\n');
        });
        out.append("# HELP extender_request_duration_seconds Time to answer a request, by verb.\n");
        out.append("# TYPE extender_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((verb, histogram) -> histogram.render(verb, out));
        counter(out, "extender_filter_decisions_total", "Filter requests by outcome.", "outcome", decisions);
        counter(out, "extender_binds_total", "Bind requests by outcome.", "outcome", binds);
        out.append("# HELP extender_cached_dedicated_nodes Dedicated nodes held by the informers.\n");
        out.append("# TYPE extender_cached_dedicated_nodes gauge\n");
        out.append("extender_cached_dedicated_nodes ").append(cachedNodes.getAsInt()).append('\n');
        out.append("# HELP extender_request_body_bytes_in_flight Bytes of request bodies held now "
                + "(bounded by extender.bodiesInFlightBytes).\n");
        out.append("# TYPE extender_request_body_bytes_in_flight gauge\n");
        out.append("extender_request_body_bytes_in_flight ").append(bodyBytesInFlight.getAsLong()).append('\n');
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, String label,
                                Map<String, LongAdder> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(values).forEach((value, count) -> out.append(name).append('{').append(label).append("=\"")
                .append(value).append("\"} ").append(count.sum()).append('\n'));
    }

    private static final class Histogram {
        private final LongAdder[] counts = new LongAdder[BUCKETS.length];
        private final LongAdder total = new LongAdder();
        private final DoubleAdder sum = new DoubleAdder();

        Histogram() {
            for (int i = 0; i < counts.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(double seconds) {
            for (int i = 0; i < BUCKETS.length; i++) {
                if (seconds <= BUCKETS[i]) {
                    counts[i].increment();
                    break;
                }
            }
            total.increment();
            sum.add(seconds);
        }

        void render(String verb, StringBuilder out) {
            long cumulative = 0;
            for (int i = 0; i < BUCKETS.length; i++) {
                cumulative += counts[i].sum();
                out.append("extender_request_duration_seconds_bucket{verb=\"").append(verb).append("\",le=\"")
                        .append(BUCKETS[i]).append("\"} ").append(cumulative).append('\n');
            }
            out.append("extender_request_duration_seconds_bucket{verb=\"").append(verb).append("\",le=\"+Inf\"} ")
                    .append(total.sum()).append('\n');
            out.append("extender_request_duration_seconds_sum{verb=\"").append(verb).append("\"} ")
                    .append(sum.sum()).append('\n');
            out.append("extender_request_duration_seconds_count{verb=\"").append(verb).append("\"} ")
                    .append(total.sum()).append('\n');
        }
    }
}

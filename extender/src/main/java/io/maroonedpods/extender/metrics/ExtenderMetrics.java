package io.maroonedpods.extender.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The extender's metrics, in a Micrometer registry of its own rendered in the Prometheus text format. The meters of a
 * request are looked up once per verb and status and kept: recording one is a few adds, not a registry lookup.
 */
public final class ExtenderMetrics {
    /** Latency buckets: the interesting range is 100 µs .. the scheduler's 5 s timeout. */
    private static final Duration[] BUCKETS = {
        Duration.ofNanos(100_000),
        Duration.ofNanos(250_000),
        Duration.ofNanos(500_000),
        Duration.ofMillis(1),
        Duration.ofNanos(2_500_000),
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2_500),
        Duration.ofSeconds(5)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Map<Integer, Counter>> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Map<String, Counter> decisions = new ConcurrentHashMap<>();
    private final Map<String, Counter> binds = new ConcurrentHashMap<>();

    /**
     * @param cachedNodes       dedicated nodes the informers hold
     * @param bodyBytesInFlight bytes of request bodies held now, received or assembled (the bodies-in-flight bound)
     */
    public ExtenderMetrics(IntSupplier cachedNodes, LongSupplier bodyBytesInFlight) {
        Gauge.builder("extender.cached.dedicated.nodes", cachedNodes::getAsInt)
                .description("Dedicated nodes held by the informers")
                .register(registry);
        Gauge.builder("extender.request.body.bytes.in.flight", bodyBytesInFlight::getAsLong)
                .description("Bytes of request bodies held now (bounded by extender.bodiesInFlightBytes)")
                .register(registry);
    }

    /** One request of a verb (filter, prioritize, preempt, bind, other) answered with a status after some nanos. */
    public void request(String verb, int status, long nanos) {
        requests.computeIfAbsent(verb, key -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        status,
                        key -> Counter.builder("extender.requests")
                                .description("Requests answered, by verb and HTTP status")
                                .tag("verb", verb)
                                .tag("code", Integer.toString(status))
                                .register(registry))
                .increment();
        durations
                .computeIfAbsent(
                        verb,
                        key -> Timer.builder("extender.request.duration")
                                .description("Time to answer a request, by verb")
                                .tag("verb", verb)
                                .serviceLevelObjectives(BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One filter decision: maroon_passed, maroon_rejected, other (not a maroon pod). */
    public void decision(String outcome) {
        count(decisions, "extender.filter.decisions", "Filter requests by outcome", outcome);
    }

    /** One bind: bound, already_bound, refused, api_error. */
    public void bind(String outcome) {
        count(binds, "extender.binds", "Bind requests by outcome", outcome);
    }

    /** Every meter in the Prometheus text format 0.0.4. */
    public String render() {
        return registry.scrape();
    }

    private void count(Map<String, Counter> counters, String name, String description, String outcome) {
        counters.computeIfAbsent(
                        outcome,
                        key -> Counter.builder(name)
                                .description(description)
                                .tag("outcome", outcome)
                                .register(registry))
                .increment();
    }
}

package io.maroonedpods.provisioner.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.IntSupplier;

/**
 * The provisioner's own metrics, beside JOSDK's reconcile metrics on the same registry. Labels carry no pod names
 * (unbounded cardinality) and never a secret.
 */
public final class ProvisionerMetrics {
    private final Timer toVmiCreated;
    private final Timer toNodeVerified;
    private final MeterRegistry registry;

    public ProvisionerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.toVmiCreated = Timer.builder("maroonedpods.provisioner.pod.to.vmi.created")
                .description("Time from pod creation to its VMI being created")
                .publishPercentileHistogram()
                .register(registry);
        this.toNodeVerified = Timer.builder("maroonedpods.provisioner.pod.to.node.verified")
                .description("Time from pod creation to its VM node being verified")
                .publishPercentileHistogram()
                .register(registry);
    }

    public void vmiCreated(Pod pod, Instant now) {
        sinceCreation(pod, now, toVmiCreated);
    }

    public void nodeVerified(Pod pod, Instant now) {
        sinceCreation(pod, now, toNodeVerified);
    }

    /**
     * The boot cap at work: VMs holding a boot slot, and pods waiting for one. A new leadership term registers its
     * own: the gauges read the live term's ledger, never a finished one's.
     */
    public void bootSlots(IntSupplier busy, IntSupplier waiting) {
        gauge("maroonedpods.provisioner.boot.slots.busy", "VMs holding a boot slot (maxConcurrentBoots)", busy);
        gauge("maroonedpods.provisioner.boot.queue", "Pods waiting for a boot slot", waiting);
    }

    private void gauge(String name, String description, IntSupplier value) {
        registry.find(name).gauges().forEach(registry::remove);
        Gauge.builder(name, () -> value.getAsInt())
                .description(description)
                .strongReference(true)
                .register(registry);
    }

    /** outcome: retried, gave_up, node_rejected. */
    public void bootFailure(String outcome) {
        Counter.builder("maroonedpods.provisioner.boot.failures")
                .description("Failed VM boots by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    public void tornDown(String cause) {
        Counter.builder("maroonedpods.provisioner.teardowns")
                .description("VMs torn down, by cause")
                .tag("cause", cause)
                .register(registry)
                .increment();
    }

    /**
     * A stranger removed from a dedicated node: counted by the kind of node (dedicated, pool, other), and timed from
     * when the guard first saw it there to its deletion.
     */
    public void strangerRemoved(String node, Duration sinceSeen) {
        Counter.builder("maroonedpods.provisioner.strangers.removed")
                .description("Pods removed from dedicated VM nodes they did not belong to, by kind of node")
                .tag("node", node)
                .register(registry)
                .increment();
        Timer.builder("maroonedpods.provisioner.stranger.removal")
                .description("Time from a stranger pod seen on a dedicated node to its deletion")
                .publishPercentileHistogram()
                .register(registry)
                .record(sinceSeen);
    }

    private static void sinceCreation(Pod pod, Instant now, Timer timer) {
        try {
            Instant created = Instant.parse(pod.getMetadata().getCreationTimestamp());
            Duration elapsed = Duration.between(created, now);
            if (!elapsed.isNegative()) {
                timer.record(elapsed);
            }
        } catch (DateTimeParseException | NullPointerException e) {
            // a pod without a creation time (never from a real API server) simply is not measured
        }
    }
}

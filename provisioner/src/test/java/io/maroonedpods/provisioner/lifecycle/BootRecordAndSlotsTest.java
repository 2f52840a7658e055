package io.maroonedpods.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BootRecordAndSlotsTest {
    static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void theRecordRoundTripsThroughPodAnnotations() {
        BootRecord record = new BootRecord(2, NOW, "VMI is Failed after 2 boot attempt(s)");
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withAnnotations(record.annotations()).endMetadata()
                .build();

        assertThat(BootRecord.of(pod)).isEqualTo(record);
        assertThat(new BootRecord(0, null, null).annotations()).containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, null);
    }

    @Test
    void theVmisOwnCountWinsWhenThePodsIsBehind() {
        assertThat(new BootRecord(1, null, null).atLeast(2)).isEqualTo(new BootRecord(2, null, null));
        assertThat(new BootRecord(3, NOW, null).atLeast(2)).isEqualTo(new BootRecord(3, NOW, null));
    }

    @Test
    void garbageInTheAnnotationsCountsAsNothing() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withAnnotations(Map.of(
                Names.BOOT_ATTEMPTS_ANNOTATION, "many", Names.NEXT_BOOT_AFTER_ANNOTATION, "soon")).endMetadata().build();

        assertThat(BootRecord.of(pod)).isEqualTo(new BootRecord(0, null, null));
        assertThat(BootRecord.of(new PodBuilder().withNewMetadata().withName("p").endMetadata().build()))
                .isEqualTo(new BootRecord(0, null, null));
    }

    @Test
    void bootSlotsCountCachedAndJustCreatedVmis() {
        BootSlots slots = new BootSlots();

        assertThat(slots.tryAcquire("a", Set.of(), 2, NOW)).isTrue();
        assertThat(slots.tryAcquire("b", Set.of(), 2, NOW)).isTrue();
        assertThat(slots.tryAcquire("c", Set.of(), 2, NOW)).as("a and b in flight").isFalse();
        assertThat(slots.tryAcquire("a", Set.of(), 2, NOW)).as("already holds a slot").isTrue();
        assertThat(slots.tryAcquire("c", Set.of("a"), 2, NOW)).as("a cached, b in flight").isFalse();
        assertThat(slots.tryAcquire("c", Set.of(), 2, NOW)).as("a verified: its slot is free").isTrue();
        slots.release("c");
        assertThat(slots.tryAcquire("d", Set.of(), 2, NOW.plus(BootSlots.IN_FLIGHT_MEMORY).plusSeconds(1)))
                .as("forgotten after a while").isTrue();
    }

    @Test
    void theBootQueueWakesTheLongestWaitingPodsFirstAndEachOnce() {
        BootQueue<String> queue = new BootQueue<>();
        queue.waiting("a");
        queue.waiting("b");
        queue.waiting("a"); // refused again: keeps its place
        queue.waiting("c");
        queue.done("b"); // got a slot another way

        assertThat(queue.next(1)).containsExactly("a");
        assertThat(queue.next(5)).containsExactly("c");
        assertThat(queue.next(1)).isEmpty();
        assertThat(queue.size()).isZero();
    }
}

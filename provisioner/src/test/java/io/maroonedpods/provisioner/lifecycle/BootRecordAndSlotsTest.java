package io.maroonedpods.provisioner.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootRecordAndSlotsTest {
    static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void theRecordRoundTripsThroughPodAnnotations() {
        BootRecord record = new BootRecord(2, NOW, "VMI is Failed after 2 boot attempt(s)");
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withAnnotations(record.annotations())
                .endMetadata()
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
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName("p")
                .withAnnotations(
                        Map.of(Names.BOOT_ATTEMPTS_ANNOTATION, "many", Names.NEXT_BOOT_AFTER_ANNOTATION, "soon"))
                .endMetadata()
                .build();

        assertThat(BootRecord.of(pod)).isEqualTo(new BootRecord(0, null, null));
        assertThat(BootRecord.of(new PodBuilder()
                        .withNewMetadata()
                        .withName("p")
                        .endMetadata()
                        .build()))
                .isEqualTo(new BootRecord(0, null, null));
    }

    static void cacheShows(BootSlots slots, String vmi, BootSlots.CacheState state) {
        slots.observe(vmi, () -> state);
    }

    @Test
    void bootSlotsCountCachedAndJustCreatedVmis() {
        BootSlots slots = new BootSlots();

        assertThat(slots.tryAcquire("a", 2, 0, NOW)).isTrue();
        assertThat(slots.tryAcquire("b", 2, 0, NOW)).isTrue();
        assertThat(slots.tryAcquire("c", 2, 0, NOW)).as("a and b in flight").isFalse();
        assertThat(slots.tryAcquire("a", 2, 0, NOW)).as("already holds a slot").isTrue();
        cacheShows(slots, "a", BootSlots.CacheState.BOOTING);
        assertThat(slots.inFlight("a", NOW)).as("the cache has a").isFalse();
        assertThat(slots.tryAcquire("c", 2, 0, NOW)).as("a cached, b in flight").isFalse();
        cacheShows(slots, "a", BootSlots.CacheState.BOOTED);
        assertThat(slots.free(2, NOW)).isEqualTo(1);
        assertThat(slots.tryAcquire("c", 2, 0, NOW))
                .as("a verified: its slot is free")
                .isTrue();
        slots.release("c");
        assertThat(slots.tryAcquire("d", 2, 0, NOW.plus(BootSlots.MEMORY).plusSeconds(1)))
                .as("b forgotten after a while")
                .isTrue();
    }

    @Test
    void askingWhetherASlotWouldBeGrantedTakesNone() {
        BootSlots slots = new BootSlots();
        assertThat(slots.wouldGrant("a", 1, 0, NOW)).isTrue();
        assertThat(slots.wouldGrant("b", 1, 0, NOW)).as("a took nothing").isTrue();
        assertThat(slots.wouldGrant("b", 1, 1, NOW)).as("one pod waits ahead").isFalse();
        assertThat(slots.tryAcquire("b", 1, 0, NOW)).isTrue();
        assertThat(slots.wouldGrant("a", 1, 0, NOW)).as("b holds the one slot").isFalse();
    }

    @Test
    void aVmiTheCacheHoldsIsNoLongerInFlightEvenIfItNeverShowedAsBooting() {
        BootSlots slots = new BootSlots();
        assertThat(slots.tryAcquire("a", 1, 0, NOW)).isTrue();
        assertThat(slots.tryAcquire("b", 1, 0, NOW)).as("a in flight").isFalse();
        cacheShows(slots, "a", BootSlots.CacheState.BOOTED);
        assertThat(slots.tryAcquire("b", 1, 0, NOW))
                .as("a's node was verified before the cache ever saw it booting")
                .isTrue();
    }

    @Test
    void aNodeVerifiedHereFreesItsSlotBeforeTheCacheShowsIt() {
        BootSlots slots = new BootSlots();
        cacheShows(slots, "a", BootSlots.CacheState.BOOTING);
        assertThat(slots.free(1, NOW)).isZero();

        slots.verified("a", NOW);
        assertThat(slots.free(1, NOW)).isEqualTo(1);
        assertThat(slots.tryAcquire("b", 1, 0, NOW)).isTrue();

        cacheShows(slots, "a", BootSlots.CacheState.BOOTED);
        cacheShows(slots, "b", BootSlots.CacheState.BOOTING);
        cacheShows(slots, "a", BootSlots.CacheState.BOOTING); // a's node lost its label: booting again, no memory left
        assertThat(slots.free(2, NOW)).isZero();
    }

    @Test
    void aDeletedVmiHoldsNoSlot() {
        BootSlots slots = new BootSlots();
        cacheShows(slots, "a", BootSlots.CacheState.BOOTING);
        cacheShows(slots, "a", BootSlots.CacheState.ABSENT);
        assertThat(slots.free(1, NOW)).isEqualTo(1);
    }

    @Test
    void theBootQueueKeepsPlacesInTheOrderOfFirstAsking() {
        BootQueue<String> queue = new BootQueue<>();
        queue.waiting("a", NOW);
        queue.waiting("b", NOW);
        queue.waiting("a", NOW.plusSeconds(1)); // refused again: keeps its place
        queue.waiting("c", NOW);
        queue.done("b"); // got a slot another way

        assertThat(queue.first(1)).containsExactly("a");
        assertThat(queue.first(5)).as("woken pods keep their places").containsExactly("a", "c");
        assertThat(queue.ahead("a", NOW)).isZero();
        assertThat(queue.ahead("c", NOW)).isEqualTo(1);
        assertThat(queue.ahead("newcomer", NOW)).as("behind everyone waiting").isEqualTo(2);
        assertThat(queue.ahead("newcomer", NOW, 1))
                .as("counted no further than asked")
                .isEqualTo(1);
        assertThat(queue.ahead("c", NOW, 5)).isEqualTo(1);
    }

    @Test
    void aFreeSlotGoesToThePodsWaitingAheadFirst() {
        BootSlots slots = new BootSlots();
        BootQueue<String> queue = new BootQueue<>();
        queue.waiting("first", NOW);
        queue.waiting("second", NOW);

        cacheShows(slots, "x", BootSlots.CacheState.BOOTING);

        assertThat(slots.tryAcquire("newcomer", 2, queue.ahead("newcomer", NOW), NOW))
                .as("one slot free, two pods ahead")
                .isFalse();
        assertThat(slots.tryAcquire("second", 2, queue.ahead("second", NOW), NOW))
                .as("the free slot is the first pod's")
                .isFalse();
        assertThat(slots.tryAcquire("first", 2, queue.ahead("first", NOW), NOW)).isTrue();
    }

    @Test
    void aWaitingPodThatStopsAskingLosesItsPlace() {
        BootQueue<String> queue = new BootQueue<>();
        queue.waiting("gone", NOW);
        queue.waiting("live", NOW);
        Instant later = NOW.plus(BootQueue.FORGOTTEN_AFTER).plusSeconds(1);
        queue.waiting("live", later.minusSeconds(1));

        assertThat(queue.ahead("live", later)).isZero();
        assertThat(queue.first(5)).containsExactly("live");
    }
}

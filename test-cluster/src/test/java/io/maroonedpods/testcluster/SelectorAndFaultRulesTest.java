package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.testcluster.store.WatchVisibility;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SelectorAndFaultRulesTest {

    @Test
    void anObjectThatStopsMatchingIsDeletedForTheWatcherAndOneThatStartsIsAdded() {
        assertThat(WatchVisibility.translate("MODIFIED", false, true)).contains("DELETED");
        assertThat(WatchVisibility.translate("MODIFIED", true, false)).contains("ADDED");
        assertThat(WatchVisibility.translate("MODIFIED", true, true)).contains("MODIFIED");
        assertThat(WatchVisibility.translate("MODIFIED", false, false)).isEmpty();
        assertThat(WatchVisibility.translate("DELETED", false, false)).isEmpty();
        assertThat(WatchVisibility.translate("BOOKMARK", false, false)).contains("BOOKMARK");
    }

    @Test
    void faultsHitOnlyBelowTheRateAndOnlyUpdatesGetAConflict() {
        assertThat(FaultInjector.choose("GET", 0.1, 0.5, 0)).isEmpty();
        assertThat(FaultInjector.choose("GET", 0.1, 0.05, 0)).contains(FaultInjector.Fault.INTERNAL_ERROR);
        assertThat(FaultInjector.choose("GET", 0.1, 0.05, 1)).contains(FaultInjector.Fault.TOO_MANY_REQUESTS);
        for (String method : new String[] {"GET", "POST", "DELETE"}) {
            for (int pick = 0; pick < 6; pick++) {
                assertThat(FaultInjector.choose(method, 1, 0, pick))
                        .isNotEqualTo(Optional.of(FaultInjector.Fault.CONFLICT));
            }
        }
        assertThat(FaultInjector.choose("PUT", 1, 0, 1)).contains(FaultInjector.Fault.CONFLICT);
        assertThat(FaultInjector.choose("PATCH", 1, 0, 1)).contains(FaultInjector.Fault.CONFLICT);
    }
}

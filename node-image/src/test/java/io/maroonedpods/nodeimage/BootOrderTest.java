package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.nodeimage.support.BootOrder;
import io.maroonedpods.nodeimage.support.UnitState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order check NspawnBootTest applies to a real boot, on recorded unit states. */
class BootOrderTest {
    static UnitState unit(String id, long started, long active) {
        return UnitState.parse("Id=" + id + "\nActiveState=active\nResult=success\nInactiveExitTimestampMonotonic="
                + started + "\nActiveEnterTimestampMonotonic=" + active + "\n");
    }

    /** A boot whose three units started and became active at these microseconds. */
    static Map<String, UnitState> boot(
            long finalStart, long finalActive, long bootStart, long bootActive, long k3sStart, long k3sActive) {
        return Map.of(
                BootOrder.CLOUD_FINAL,
                unit(BootOrder.CLOUD_FINAL, finalStart, finalActive),
                BootOrder.BOOT,
                unit(BootOrder.BOOT, bootStart, bootActive),
                BootOrder.K3S,
                unit(BootOrder.K3S, k3sStart, k3sActive));
    }

    @Test
    void cloudFinalThenTheBootUnitThenK3sAgentKeepsTheOrder() {
        assertThat(BootOrder.violations(boot(100, 200, 200, 300, 310, 320))).isEmpty();
    }

    @Test
    void aBootUnitStartedBeforeCloudFinalFinishedBreaksIt() {
        assertThat(BootOrder.violations(boot(100, 400, 150, 300, 410, 420)))
                .containsExactly(
                        "marooned-node-boot.service started at 150 us, before cloud-final.service finished at 400 us");
    }

    @Test
    void k3sStartedBeforeTheBootUnitFinishedBreaksIt() {
        assertThat(BootOrder.violations(boot(100, 200, 200, 300, 250, 320)))
                .containsExactly(
                        "k3s-agent.service started at 250 us, before marooned-node-boot.service finished at 300 us");
    }

    @Test
    void aUnitThatFailedOrNeverRanBreaksIt() {
        UnitState failed = UnitState.parse("Id=k3s-agent.service\nActiveState=failed\nResult=exit-code\n"
                + "InactiveExitTimestampMonotonic=310\nActiveEnterTimestampMonotonic=0\n");

        assertThat(BootOrder.violations(
                        Map.of(BootOrder.CLOUD_FINAL, unit(BootOrder.CLOUD_FINAL, 100, 200), BootOrder.K3S, failed)))
                .hasSize(2)
                .anySatisfy(v -> assertThat(v).startsWith("marooned-node-boot.service did not run successfully"))
                .anySatisfy(v -> assertThat(v).startsWith("k3s-agent.service did not run successfully"));
    }
}

package io.maroonedpods.testcluster.kubevirt;

import java.time.Duration;

/**
 * When a VMI's steps happen, from its creation: Scheduled (virt-launcher pod placed), Running (guest up, interface
 * IP known), Node registered (cloud-init done, k3s agent joined), Node Ready. Derived from one "boot seconds" value.
 */
public record BootTimings(Duration scheduled, Duration running, Duration registered, Duration ready) {

    /** Boot time S split as a real VM node spends it: 10 % scheduling, 40 % to a running guest, 80 % to a Node, then Ready. */
    public static BootTimings ofBootSeconds(double seconds) {
        long total = Math.round(seconds * 1000);
        return new BootTimings(
                Duration.ofMillis(total / 10),
                Duration.ofMillis(total * 4 / 10),
                Duration.ofMillis(total * 8 / 10),
                Duration.ofMillis(total));
    }
}

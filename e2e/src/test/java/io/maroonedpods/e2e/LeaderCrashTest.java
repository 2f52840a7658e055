package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.Invariants;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Workloads;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two replicas of the shipped provisioner on their real Lease; the leader is killed while it boots a burst (some of its
 * boots between their VMI and their credentials). The other replica takes over once the Lease expires and finishes
 * the burst: every pod bound alone to its own node, no pod with a second VM, no join credential left behind.
 */
@ExtendWith(RealClusterExtension.class)
class LeaderCrashTest {
    private static final int PODS = 8;
    private static final Map<String, String> SHORT_LEASE = Map.of("MAROON_LEASE_SECONDS", "3");

    @Test
    void aLeaderKilledInTheMiddleOfABurstCostsNoSecondVmAndLeavesNothing(ControlPlane plane) {
        try (Installation install = Installation.install(plane, "secondary-scheduler")
                .withVirtualization(2)
                .withProvisionerReplica("maroonedpods-provisioner-a", SHORT_LEASE)
                .withProvisionerReplica("maroonedpods-provisioner-b", SHORT_LEASE)
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler()) {
            KubernetesClient admin = plane.adminClient();
            admin.resource(Workloads.maroonDeployment("web", PODS)).create();
            install.await(
                    "the leader booting the burst",
                    Duration.ofSeconds(120),
                    () -> install.timeline().pods().stream()
                                    .filter(f -> f.vmiCreated >= 0)
                                    .count()
                            >= PODS / 2);

            String crashed = install.crashTheLeader();

            install.await(
                    "every maroon pod bound after " + crashed + " crashed",
                    Duration.ofSeconds(180),
                    () -> install.timeline().boundCount() >= PODS);
            assertThat(install.timeline().pods())
                    .hasSize(PODS)
                    .allSatisfy(f ->
                            assertThat(f.vmisCreated()).as("VMIs of " + f.name).isEqualTo(1));
            Invariants.holdWhileBound(install, admin, Map.of());

            admin.apps()
                    .deployments()
                    .inNamespace(Installation.TENANT)
                    .withName("web")
                    .delete();
            Invariants.nothingLeftOnceThePodsAreGone(install, admin);
        }
    }
}

package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.Invariants;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Reports;
import io.maroonedpods.e2e.support.Workloads;
import io.maroonedpods.simulator.ClusterInventory;
import io.maroonedpods.simulator.WarmPool;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The warm pool on a real control plane: with {@code warmPoolSize: 2} two VM nodes are booted, verified and kept
 * unclaimed; two maroon pods each claim one (no boot) and run alone on it; once the pods are gone their VMs are
 * destroyed, never reused, and the pool refills under new names.
 */
@ExtendWith(RealClusterExtension.class)
class WarmPoolClaimTest {
    private static final int SIZE = 2;

    @Test
    void podsClaimPooledNodesAloneAndThePoolRefillsWithNewVms(ControlPlane plane) {
        try (Installation install = Installation.install(plane, "secondary-scheduler")
                .withVirtualization(2)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler()) {
            KubernetesClient admin = plane.adminClient();
            WarmPool pool = new WarmPool(admin, EffectiveConfig.defaults().vmNamespace());
            pool.size(SIZE);
            install.await("the pool filled", Duration.ofSeconds(120), () -> pool.available() >= SIZE);
            Set<String> firstPool = poolVmis(admin);

            for (int i = 1; i <= SIZE; i++) {
                admin.resource(Workloads.pod("claimer-" + i)
                                .editSpec()
                                .withSchedulerName(Names.SCHEDULER_NAME)
                                .endSpec()
                                .build())
                        .create();
            }
            install.await(
                    "every claimer bound",
                    Duration.ofSeconds(120),
                    () -> install.timeline().boundCount() >= SIZE);
            List<Pod> pods =
                    admin.pods().inNamespace(Installation.TENANT).list().getItems();
            assertThat(pods)
                    .allSatisfy(p -> assertThat(firstPool).contains(p.getSpec().getNodeName()));
            Invariants.holdWhileBound(install, admin, pool.claimedNodeOwners());
            assertThat(vmiNames(admin))
                    .as("no VM booted for a claimer")
                    .noneMatch(name -> pods.stream()
                            .anyMatch(p ->
                                    name.equals(Names.nodeName(p.getMetadata().getUid()))));

            admin.pods().inNamespace(Installation.TENANT).delete();
            install.await(
                    "the claimed VMs destroyed and the pool refilled with new ones", Duration.ofSeconds(120), () -> {
                        Set<String> now = poolVmis(admin);
                        return pool.available() >= SIZE && now.stream().noneMatch(firstPool::contains);
                    });
            pool.size(0);
            install.await(
                    "nothing left once the pool is emptied",
                    Duration.ofSeconds(90),
                    () -> new ClusterInventory(admin, EffectiveConfig.defaults())
                            .leftovers()
                            .isEmpty());
            Reports.write(plane, "warm pool of " + SIZE + ", " + SIZE + " claims", install);
        }
    }

    private static Set<String> poolVmis(KubernetesClient admin) {
        return vmiNames(admin).stream()
                .filter(n -> n.startsWith(Names.POOL_NODE_PREFIX))
                .collect(Collectors.toSet());
    }

    private static List<String> vmiNames(KubernetesClient admin) {
        return admin
                .genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(EffectiveConfig.defaults().vmNamespace())
                .list()
                .getItems()
                .stream()
                .map(v -> v.getMetadata().getName())
                .toList();
    }
}

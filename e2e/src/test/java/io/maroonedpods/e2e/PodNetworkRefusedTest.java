package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Workloads;
import io.maroonedpods.kubevirt.KubeVirt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pod network on a real control plane with two host nodes: refused before any VM boots (a VM's VXLAN endpoint on
 * the pod network is unreachable from the other nodes; node-network/README.md), with a Warning on the pod and the
 * reason on MaroonedPodsConfig's Ready condition.
 */
@ExtendWith(RealClusterExtension.class)
class PodNetworkRefusedTest {
    private static final String VM_NS = EffectiveConfig.defaults().vmNamespace();

    @Test
    void onThePodNetworkTheTwoHostClusterIsRefusedBeforeAnyVmBoots(ControlPlane plane) {
        try (Installation install = Installation.install(plane, "secondary-scheduler")
                .onThePodNetwork()
                .withVirtualization(2)
                .withProvisioner(Map.of())) {
            KubernetesClient admin = plane.adminClient();
            admin.resource(Workloads.pod("web")
                            .editSpec()
                            .withSchedulerName(Names.SCHEDULER_NAME)
                            .endSpec()
                            .build())
                    .create();

            install.await(
                    "NodeNetworkUnsupported on the pod",
                    Duration.ofSeconds(60),
                    () -> warnings(admin).stream().anyMatch(e -> "NodeNetworkUnsupported".equals(e.getReason())));
            install.await("the config not Ready for that reason", Duration.ofSeconds(60), () -> {
                MaroonedPodsConfig config = admin.resources(MaroonedPodsConfig.class)
                        .withName(Names.CONFIG_NAME)
                        .get();
                return config.getStatus() != null
                        && config.getStatus().conditions() != null
                        && config.getStatus().conditions().stream()
                                .anyMatch(c -> "Ready".equals(c.getType())
                                        && "False".equals(c.getStatus())
                                        && "NodeNetworkUnsupported".equals(c.getReason()));
            });
            assertThat(KubeVirt.vmis(admin, VM_NS).list().getItems()).isEmpty();
            assertThat(warnings(admin))
                    .filteredOn(e -> "NodeNetworkUnsupported".equals(e.getReason()))
                    .first()
                    .satisfies(e -> assertThat(e.getNote()).contains("set spec.nodeNetwork.networkAttachment"));
        }
    }

    private static List<Event> warnings(KubernetesClient admin) {
        return admin.events().v1().events().inNamespace(Installation.TENANT).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()))
                .toList();
    }
}

package io.maroonedpods.e2e;

import static io.maroonedpods.e2e.support.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Refusals;
import io.maroonedpods.e2e.support.Tenancy;
import io.maroonedpods.e2e.support.Workloads;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Who binds to dedicated nodes in main-scheduler mode: the main-scheduler overlay changes the policy's binders to the
 * cluster's own kube-scheduler (system:kube-scheduler), which binds every pod there; a tenant is still refused.
 * (MainSchedulerModeTest runs the whole flow under this policy.)
 */
@ExtendWith(RealClusterExtension.class)
class MainSchedulerBindingsTest {

    @Test
    void onlyTheClustersKubeSchedulerBindsToDedicatedNodes(ControlPlane plane) {
        try (Installation install = Installation.install(plane, "main-scheduler");
                KubernetesClient tenant =
                        Tenancy.tenantWhoRunsItsOwnScheduler(plane).client();
                KubernetesClient scheduler = plane.schedulerIdentity().client()) {
            String node = Names.nodeName(UUID.randomUUID().toString());
            Pod pod = tenant.resource(Workloads.pod("self-scheduled")
                            .editSpec()
                            .withSchedulerName("tenant-scheduler")
                            .endSpec()
                            .build())
                    .create();

            assertRefused(
                    () -> Refusals.bind(tenant, pod, node),
                    "maroonedpods-dedicated-node-bindings",
                    "only system:kube-scheduler may bind pods to MaroonedPods dedicated VM nodes, not "
                            + Tenancy.TENANT_USER);
            Refusals.bind(scheduler, pod, node);
            assertThat(plane.adminClient().resource(pod).get().getSpec().getNodeName())
                    .isEqualTo(node);
        }
    }
}

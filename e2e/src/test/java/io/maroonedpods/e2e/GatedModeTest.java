package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.Invariants;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Reports;
import io.maroonedpods.e2e.support.Workloads;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gated mode (the gated overlay): the real API server's MutatingAdmissionPolicy gives each opted-in pod the scheduling
 * gate, the provisioner opens it once the pod's node is verified and would take the pod, and the pod's first
 * scheduling attempt binds it: no FailedScheduling at all.
 */
@ExtendWith(RealClusterExtension.class)
class GatedModeTest {
    private static final int PODS = 4;

    @Test
    void gatedPodsAreAdmittedWithTheGateAndBindOnTheirFirstAttemptOnceTheirNodeIsReady(ControlPlane plane) {
        try (Installation install = Installation.install(plane, "gated")
                .withVirtualization(2)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler()) {
            KubernetesClient admin = plane.adminClient();
            for (int i = 1; i <= PODS; i++) {
                admin.resource(Workloads.pod("gated-" + i)
                                .editSpec()
                                .withSchedulerName(Names.SCHEDULER_NAME)
                                .endSpec()
                                .build())
                        .create();
            }
            install.await(
                    "every gated pod bound",
                    Duration.ofSeconds(180),
                    () -> install.timeline().boundCount() >= PODS);

            Invariants.holdWhileBound(install, admin, Map.of());
            assertThat(install.timeline().pods()).hasSize(PODS).allSatisfy(f -> {
                assertThat(f.wasGated())
                        .as(f.name + " was admitted with the gate")
                        .isTrue();
                assertThat(f.ungated)
                        .as(f.name + ": gate opened after its node was verified")
                        .isGreaterThan(f.verified);
            });
            assertThat(admin.events()
                            .v1()
                            .events()
                            .inNamespace(Installation.TENANT)
                            .list()
                            .getItems())
                    .noneMatch(e -> "FailedScheduling".equals(e.getReason()));
            admin.pods().inNamespace(Installation.TENANT).delete();
            Invariants.nothingLeftOnceThePodsAreGone(install, admin);
            Reports.write(plane, "gated mode, " + PODS + " pods", install);
        }
    }
}

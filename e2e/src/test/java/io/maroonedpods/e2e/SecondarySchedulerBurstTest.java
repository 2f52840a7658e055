package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.e2e.support.AuditLog;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.Invariants;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Reports;
import io.maroonedpods.e2e.support.Workloads;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The recommended install (secondary-scheduler overlay) on a real control plane: a Deployment of maroon pods is
 * scheduled by the real kube-scheduler through the shipped extender, each pod onto its own VM node that the shipped
 * provisioner booted and verified; deleting the Deployment lets the real garbage collector remove the pods, and the
 * provisioner everything it made.
 */
@ExtendWith(RealClusterExtension.class)
class SecondarySchedulerBurstTest {
    private static final int PODS = 6;

    @Test
    void everyPodRunsAloneOnItsOwnVerifiedNodeAndNothingIsLeftAfterTheDeploymentIsDeleted(ControlPlane plane) {
        try (Installation install = Installation.install(plane, "secondary-scheduler")
                .withVirtualization(2)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler()) {
            KubernetesClient admin = plane.adminClient();
            admin.resource(Workloads.maroonDeployment("web", PODS)).create();
            install.await(
                    "every maroon pod bound",
                    Duration.ofSeconds(180),
                    () -> install.timeline().boundCount() >= PODS);

            List<Pod> pods =
                    admin.pods().inNamespace(Installation.TENANT).list().getItems();
            assertThat(pods).hasSize(PODS);
            Invariants.holdWhileBound(install, admin, Map.of());
            for (Pod pod : pods) {
                String uid = pod.getMetadata().getUid();
                assertThat(admin.nodes()
                                .withName(Names.nodeName(uid))
                                .get()
                                .getMetadata()
                                .getLabels())
                        .containsEntry(Names.VERIFIED_POD_UID_LABEL, uid);
                assertThat(reasonsOn(admin, pod)).contains("VmiCreated", "NodeVerified", "Bound");
            }
            assertThat(install.timeline().pods())
                    .allSatisfy(f -> assertThat(f.vmisCreated()).isEqualTo(1));
            MaroonedPodsConfig config = admin.resources(MaroonedPodsConfig.class)
                    .withName(Names.CONFIG_NAME)
                    .get();
            assertThat(config.getStatus().observedGeneration())
                    .isEqualTo(config.getMetadata().getGeneration());
            assertThat(config.getStatus().conditions())
                    .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));

            admin.apps()
                    .deployments()
                    .inNamespace(Installation.TENANT)
                    .withName("web")
                    .delete();
            Invariants.nothingLeftOnceThePodsAreGone(install, admin);

            Reports.write(plane, "secondary-scheduler burst of " + PODS + " pods", install);
            // The warm pool is off (warmPoolSize 0): the pool keeper looked once, when the provisioner took the lead,
            // found nothing pooled, and sent nothing more.
            assertThat(AuditLog.read(plane.auditLog()).stream()
                            .filter(AuditLog.byAgent(Names.PROVISIONER_USER_AGENT))
                            .filter(r -> r.uri().contains("labelSelector=" + Names.POOL_LABEL)))
                    .extracting(AuditLog.Request::what)
                    .containsExactlyInAnyOrder("list nodes", "list secrets");
        }
    }

    private static Set<String> reasonsOn(KubernetesClient admin, Pod pod) {
        List<Event> events = admin.events()
                .v1()
                .events()
                .inNamespace(pod.getMetadata().getNamespace())
                .list()
                .getItems();
        return events.stream()
                .filter(e -> e.getRegarding() != null
                        && pod.getMetadata().getUid().equals(e.getRegarding().getUid()))
                .map(Event::getReason)
                .collect(Collectors.toSet());
    }
}

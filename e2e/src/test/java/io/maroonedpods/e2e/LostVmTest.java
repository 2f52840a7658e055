package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.api.k3s.ClusterCaHash;
import io.maroonedpods.api.k3s.NodePasswordHash;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Workloads;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.provisioner.join.JoinSecrets;
import io.maroonedpods.simulator.ClusterInventory;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The VM of a bound pod is lost (its host fails: the kubelet stops, KubeVirt deletes the VMI). The pod cannot run
 * anywhere else — its node name is its VM's, bound to that VM's password — so the provisioner fails it through the
 * status subresource (what its RBAC allows and the real API server validates), with a Warning; no second VM is made for
 * it, and no other VM can register the name while the pod exists. Once the pod is gone (here the real pod garbage
 * collector deletes it: its node no longer exists) the name's password Secret goes too.
 */
@ExtendWith(RealClusterExtension.class)
class LostVmTest {
    private static final String VM_LOST = "VmLost";

    @Test
    void aBoundPodWhoseVmIsLostIsFailedAndItsNodeNameStaysLockedUntilThePodIsGone(ControlPlane plane)
            throws IOException {
        try (Installation install = Installation.install(plane, "secondary-scheduler")
                .withVirtualization(2)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler()) {
            KubernetesClient admin = plane.adminClient();
            Pod created = admin.resource(Workloads.pod("lost")
                            .editSpec()
                            .withSchedulerName(Names.SCHEDULER_NAME)
                            .endSpec()
                            .build())
                    .create();
            String uid = created.getMetadata().getUid();
            String node = Names.nodeName(uid);
            String passwordSecret = Names.k3sNodePasswordSecret(node);
            install.await(
                    "the pod bound to its VM's node",
                    Duration.ofSeconds(120),
                    () -> install.timeline().boundCount() >= 1);

            install.vms().lose(node);

            install.await("the pod failed with reason VmLost", Duration.ofSeconds(60), () -> {
                Pod pod = admin.pods()
                        .inNamespace(Installation.TENANT)
                        .withName("lost")
                        .get();
                return pod != null
                        && pod.getStatus() != null
                        && "Failed".equals(pod.getStatus().getPhase())
                        && VM_LOST.equals(pod.getStatus().getReason());
            });
            Pod failed = admin.pods()
                    .inNamespace(Installation.TENANT)
                    .withName("lost")
                    .get();
            assertThat(failed.getStatus().getMessage()).contains("is lost", node);
            assertThat(failed.getStatus().getConditions())
                    .anyMatch(c -> "DisruptionTarget".equals(c.getType())
                            && "True".equals(c.getStatus())
                            && VM_LOST.equals(c.getReason()));
            // Events are sent apart from the pod's write: the Warning may land a moment after the pod failed.
            Supplier<Optional<Event>> vmLostEvent =
                    () -> admin.events().v1().events().inNamespace(Installation.TENANT).list().getItems().stream()
                            .filter(e -> VM_LOST.equals(e.getReason())
                                    && e.getRegarding() != null
                                    && uid.equals(e.getRegarding().getUid()))
                            .findFirst();
            install.await(
                    "the VmLost Event",
                    Duration.ofSeconds(10),
                    () -> vmLostEvent.get().isPresent());
            Optional<Event> warning = vmLostEvent.get();
            assertThat(warning)
                    .as("a Warning Event on the pod")
                    .hasValueSatisfying(e -> assertThat(e.getType()).isEqualTo("Warning"));

            // The name stays locked: its password Secret is there, and the k3s server refuses any other password.
            assertThat(admin.secrets()
                            .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                            .withName(passwordSecret)
                            .get())
                    .as("the node name's password Secret while the pod exists")
                    .isNotNull();
            // Even with a valid join token (one an administrator made with `k3s token create`).
            SecureRandom random = new SecureRandom();
            BootstrapToken valid = BootstrapToken.random(random);
            Secret adminToken =
                    JoinSecrets.bootstrapToken(valid, "none", Instant.now().plus(Duration.ofMinutes(10)));
            adminToken.getMetadata().setLabels(null);
            admin.resource(adminToken).create();
            String joinToken = "K10" + ClusterCaHash.of(Files.readAllBytes(plane.caCert())) + "::" + valid.value();
            JoinInfo forger = new JoinInfo(
                    "https://127.0.0.1:6443",
                    joinToken,
                    uid,
                    Names.DEFAULT_TAINT_KEY,
                    node,
                    NodePasswordHash.newPassword(random));
            assertThat(install.vms().supervisor().admit(forger))
                    .as("another VM registering the name")
                    .hasValueSatisfying(why -> assertThat(why).contains("rejected node " + node));
            admin.resource(adminToken).delete();
            assertThat(KubeVirt.vmis(admin, EffectiveConfig.defaults().vmNamespace())
                            .withLabel(Names.POD_UID_LABEL, uid)
                            .list()
                            .getItems())
                    .as("no second VM for the pod")
                    .isEmpty();
            assertThat(install.timeline().pods())
                    .allSatisfy(f -> assertThat(f.vmisCreated()).isEqualTo(1));

            // The real pod garbage collector deletes a pod whose node no longer exists (after 40 s of quarantine).
            install.await(
                    "the pod gone, and with it the name's password Secret",
                    Duration.ofSeconds(150),
                    () -> admin.pods()
                                            .inNamespace(Installation.TENANT)
                                            .withName("lost")
                                            .get()
                                    == null
                            && admin.secrets()
                                            .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                                            .withName(passwordSecret)
                                            .get()
                                    == null);
            install.await(
                    "nothing the provisioner made left",
                    Duration.ofSeconds(60),
                    () -> new ClusterInventory(admin, EffectiveConfig.defaults())
                            .leftovers()
                            .isEmpty());
        }
    }
}

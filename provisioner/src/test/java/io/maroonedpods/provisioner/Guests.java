package io.maroonedpods.provisioner;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import io.maroonedpods.testcluster.node.NodeRegistration;
import io.maroonedpods.testcluster.node.SimulatedNodeBoot;
import io.maroonedpods.testcluster.node.SimulatedSupervisor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The VMs' guests, booted when a test says so: a genuine guest boots through test-cluster's {@link SimulatedNodeBoot}
 * (cloud-init, the boot script, the k3s supervisor's checks); an intruder that holds some join info registers with
 * whatever address and systemUUID it likes, past the same {@link SimulatedSupervisor}. Ready is the test's call too.
 */
final class Guests {
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Clock clock;
    private final SimulatedSupervisor supervisor;
    private final SimulatedNodeBoot boot;

    Guests(
            KubernetesClient client,
            String vmNamespace,
            Clock clock,
            SimulatedSupervisor supervisor,
            SimulatedNodeBoot boot) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.clock = clock;
        this.supervisor = supervisor;
        this.boot = boot;
    }

    /** Thrown when the guest cannot join (k3s's supervisor refused it): no Node is registered. */
    static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why);
        }
    }

    /** Boots the guest of the pod's VM. */
    Node register(String podUid) {
        return registerVm(Names.nodeName(podUid));
    }

    /** Boots the guest of any Running VM (a warm-pool VM included): its node registers as the real one would. */
    Node registerVm(String vmiName) {
        awaitUserdata(vmiName);
        GenericKubernetesResource vmi = client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(vmNamespace)
                .withName(vmiName)
                .get();
        boot.boot(vmi, podNetworkAddress(vmi)).ifPresent(why -> {
            throw new Refused(why);
        });
        return client.nodes().withName(vmiName).get();
    }

    @SuppressWarnings("unchecked")
    private static String podNetworkAddress(GenericKubernetesResource vmi) {
        List<Map<String, Object>> interfaces = (List<Map<String, Object>>) vmi.get("status", "interfaces");
        return (String) interfaces.get(0).get("ipAddress");
    }

    /** The join info inside the VM, exactly as cloud-init would have written it. */
    JoinInfo joinInfo(String podUid) {
        return joinInfoOf(Names.nodeName(podUid));
    }

    JoinInfo joinInfoOf(String vmiName) {
        Secret secret = awaitUserdata(vmiName);
        String userdata = new String(
                Base64.getDecoder().decode(secret.getData().get(Names.USERDATA_KEY)), StandardCharsets.UTF_8);
        return JoinInfo.parse(Userdata.joinInfoFile(userdata));
    }

    private Secret awaitUserdata(String vmiName) {
        Secret[] secret = new Secret[1];
        await().atMost(FlowCluster.PATIENCE).until(() -> {
            secret[0] = client.secrets()
                    .inNamespace(vmNamespace)
                    .withName(Names.userdataSecretName(vmiName))
                    .get();
            return secret[0] != null;
        });
        return secret[0];
    }

    /**
     * Registers a node as any holder of the join info could: with whatever address and systemUUID it likes, once the
     * supervisor accepted the token and the node password (else {@link Refused}). Like a fresh kubelet's, the node is
     * NotReady, with the not-ready taint.
     */
    Node register(JoinInfo join, String internalIp, String systemUuid) {
        supervisor.admit(join).ifPresent(why -> {
            throw new Refused(why);
        });
        return client.nodes()
                .resource(NodeRegistration.registered(join, internalIp, systemUuid, "1", "1Gi", clock.instant()))
                .create();
    }

    /** The kubelet reports Ready (the node lifecycle controller then lifts the not-ready taint). */
    void markReady(String podUid) {
        markVmReady(Names.nodeName(podUid));
    }

    /** Retried on a conflict, as a kubelet retries its status update (the provisioner's label may land between). */
    void markVmReady(String nodeName) {
        for (int attempt = 1; ; attempt++) {
            Node current = client.nodes().withName(nodeName).get();
            try {
                client.nodes()
                        .resource(NodeRegistration.ready(current, clock.instant()))
                        .updateStatus();
                break;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 4) {
                    throw e;
                }
            }
        }
        await().atMost(FlowCluster.PATIENCE)
                .until(() -> client.nodes().withName(nodeName).get().getSpec().getTaints().stream()
                        .noneMatch(t -> NodeRegistration.NOT_READY_TAINT.equals(t.getKey())));
    }
}

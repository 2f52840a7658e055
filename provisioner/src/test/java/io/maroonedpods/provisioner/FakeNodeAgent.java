package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeIdentity;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.api.k3s.BootstrapToken;
import io.maroonedpods.api.k3s.NodePasswordHash;
import io.maroonedpods.api.k3s.SupervisorRules;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * What the VM's boot script and k3s agent do, short of booting: read the join info cloud-init would write from the
 * userdata Secret, and register the Node with the identity it renders (self-label, taint, address, systemUUID) once
 * the k3s supervisor accepted its token and node password, as k3s does ({@link SupervisorRules}).
 */
final class FakeNodeAgent {
    static final Taint NOT_READY = new Taint("NoSchedule", "node.kubernetes.io/not-ready", null, null);
    private final KubernetesClient client;
    private final String vmNamespace;
    private final Clock clock;

    FakeNodeAgent(KubernetesClient client, String vmNamespace, Clock clock) {
        this.client = client;
        this.vmNamespace = vmNamespace;
        this.clock = clock;
    }

    /** Thrown when k3s's supervisor refuses the agent: no Node is registered. */
    static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why);
        }
    }

    /** Registers the node of the pod's VM as the real VM would. */
    Node register(String podUid) {
        return registerVm(Names.nodeName(podUid));
    }

    /** Registers the node of any VM (a warm-pool VM included) as the real VM would. */
    Node registerVm(String vmiName) {
        VirtualMachineInstance vmi =
                KubeVirt.vmis(client, vmNamespace).withName(vmiName).get();
        JoinInfo join = joinInfoOf(vmiName);
        // As the boot script: the address of the NIC the join info names by its MAC, else the first address.
        String address = NodeIdentity.registeredInterfaceMac(join)
                .flatMap(mac -> vmi.getStatus().interfaces.stream()
                        .filter(i -> mac.equals(i.mac))
                        .findFirst())
                .map(i -> i.ipAddress)
                .orElse(vmi.getStatus().allIpAddresses().get(0));
        return register(join, address, vmi.getSpec().domain.firmware.uuid);
    }

    /** The join info inside the VM, exactly as cloud-init would have written it. */
    JoinInfo joinInfo(String podUid) {
        return joinInfoOf(Names.nodeName(podUid));
    }

    JoinInfo joinInfoOf(String vmiName) {
        Secret secret = client.secrets()
                .inNamespace(vmNamespace)
                .withName(Names.userdataSecretName(vmiName))
                .get();
        String userdata = new String(
                Base64.getDecoder().decode(secret.getData().get(Names.USERDATA_KEY)), StandardCharsets.UTF_8);
        return JoinInfo.parse(Userdata.joinInfoFile(userdata));
    }

    /**
     * Registers a node as a join-token holder could: with whatever address and systemUUID it likes, once the
     * supervisor accepted the token and the node password (else {@link Refused}). Like a fresh kubelet, the node is
     * not Ready yet and carries the not-ready taint until {@link #markReady}.
     */
    Node register(JoinInfo join, String internalIp, String systemUuid) {
        Secret password = client.secrets()
                .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                .withName(Names.k3sNodePasswordSecret(join.nodeName()))
                .get();
        SupervisorRules.tokenRefusal(
                        join.token(),
                        MockCluster.CLUSTER_CA_HASH,
                        id -> client.secrets()
                                .inNamespace(BootstrapToken.NAMESPACE)
                                .withName(BootstrapToken.secretName(id))
                                .get(),
                        null,
                        clock.instant())
                .or(() -> SupervisorRules.passwordRefusal(join.nodeName(), password, join.nodePassword()))
                .ifPresent(why -> {
                    throw new Refused(why);
                });
        if (password == null) {
            client.secrets()
                    .inNamespace(Names.K3S_NODE_PASSWORD_NAMESPACE)
                    .resource(new SecretBuilder()
                            .withNewMetadata()
                            .withName(Names.k3sNodePasswordSecret(join.nodeName()))
                            .endMetadata()
                            .withType("k3s.cattle.io/node-password")
                            .withImmutable(true)
                            .addToData(
                                    "hash",
                                    Base64.getEncoder()
                                            .encodeToString(NodePasswordHash.create(
                                                            join.nodePassword(),
                                                            new java.security.SecureRandom(),
                                                            NodePasswordHash.PROVISIONER)
                                                    .getBytes(StandardCharsets.UTF_8)))
                            .build())
                    .create();
        }
        Node node = new NodeBuilder()
                .withNewMetadata()
                .withName(join.nodeName())
                .withLabels(NodeIdentity.selfLabels(join))
                .endMetadata()
                .withNewSpec()
                .withTaints(NodeIdentity.registrationTaint(join), NOT_READY)
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(internalIp)
                .endAddress()
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .endCondition()
                .withNewNodeInfo()
                .withSystemUUID(systemUuid)
                .endNodeInfo()
                .endStatus()
                .build();
        return client.nodes().resource(node).create();
    }

    /** The kubelet reports Ready and the node lifecycle controller lifts the not-ready taint. */
    void markReady(String podUid) {
        markVmReady(Names.nodeName(podUid));
    }

    /** Retried on a conflict, as a kubelet retries its status update (the provisioner's label may land between). */
    void markVmReady(String nodeName) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.nodes().withName(nodeName).edit(n -> {
                    n.getSpec().getTaints().removeIf(t -> NOT_READY.getKey().equals(t.getKey()));
                    n.getStatus().getConditions().forEach(c -> c.setStatus("True"));
                    return n;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 4) {
                    throw e;
                }
            }
        }
    }
}

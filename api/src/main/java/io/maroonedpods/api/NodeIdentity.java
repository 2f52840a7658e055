package io.maroonedpods.api;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.Map;
import java.util.Optional;

/**
 * The labels, taint and address a VM node registers itself with, derived from its join info. The boot script in
 * node-image renders exactly these into the k3s agent config (a test runs the script and compares), the simulator
 * registers its nodes with them, and the provisioner expects them when it verifies a node.
 */
public final class NodeIdentity {
    private NodeIdentity() {}

    /** {@code maroonedpods.io/pod-uid=<uid>}, or {@code maroonedpods.io/pool=true} for a pool node. */
    public static Map<String, String> selfLabels(JoinInfo join) {
        return join.isPoolNode() ? Map.of(Names.POOL_LABEL, "true") : Map.of(Names.POD_UID_LABEL, join.podUid());
    }

    /** {@code <taint_key>/dedicated=<uid>:NoSchedule}, or {@code =pool} for a pool node. */
    public static Taint registrationTaint(JoinInfo join) {
        String value = join.isPoolNode() ? Names.POOL_TAINT_VALUE : join.podUid();
        return new Taint("NoSchedule", Names.dedicatedTaintKey(join.taintKey()), null, value);
    }

    /**
     * The MAC of the guest NIC whose address the node registers as its InternalIP (k3s {@code node-ip}) and whose
     * name it gives flannel ({@code flannel-iface}): the NIC on the node LAN. Empty on the pod network, where node-ip
     * is the source address of the default route and flannel takes the default route's interface. The provisioner
     * checks the InternalIP against the address KubeVirt reports for the {@link NodeLan#NETWORK_NAME} interface.
     */
    public static Optional<String> registeredInterfaceMac(JoinInfo join) {
        return join.onNodeLan() ? Optional.of(join.nodeMac()) : Optional.empty();
    }
}

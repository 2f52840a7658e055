package io.maroonedpods.provisioner.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Taint;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiStatus;
import io.maroonedpods.provisioner.node.NodeVerdict.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Is this node really the VM we booted for the pod? Pure. Any holder of the join token can register a node under any
 * name with any self-labels, so nothing the node says about itself counts alone: its name must be the VMI's name, its
 * InternalIPs must be addresses KubeVirt reports for the VMI (on the node LAN: those the guest agent reports for the
 * {@link NodeLan#NETWORK_NAME} interface, the one the node must register), its systemUUID must be the firmware UUID
 * we generated,
 * and it must carry the dedicated taint (without it other pods could land on it before the label is set).
 */
public final class NodeVerification {
    private NodeVerification() {}

    public static NodeVerdict check(Node node, VirtualMachineInstance vmi, String podUid, String dedicatedTaintKey) {
        return check(node, vmi, Names.nodeName(podUid), podUid, podUid, dedicatedTaintKey);
    }

    /**
     * Is this node the warm-pool VM it is named after, still unclaimed? The same evidence as for a pod's own node,
     * with the pool's identity: name = the pool VMI's name, self-label {@code maroonedpods.io/pool=true} and no pod
     * UID, taint {@code <taintKey>/dedicated=pool:NoSchedule}.
     */
    public static NodeVerdict checkPool(Node node, VirtualMachineInstance vmi, String dedicatedTaintKey) {
        String vmiName = vmi.getMetadata().getName();
        String expectedName = vmiName.startsWith(Names.POOL_NODE_PREFIX) ? vmiName : Names.POOL_NODE_PREFIX + "…";
        NodeVerdict verdict = check(node, vmi, expectedName, null, Names.POOL_TAINT_VALUE, dedicatedTaintKey);
        Map<String, String> labels = node.getMetadata().getLabels();
        if (labels == null || !"true".equals(labels.get(Names.POOL_LABEL))) {
            List<String> reasons = new ArrayList<>(verdict.is(Outcome.REJECTED) ? verdict.problems() : List.of());
            reasons.add("node does not carry " + Names.POOL_LABEL + "=true");
            return new NodeVerdict(Outcome.REJECTED, List.copyOf(reasons));
        }
        return verdict;
    }

    /**
     * @param selfUid    the pod UID the node may claim for itself (its self-label), or null when it must claim none
     * @param taintValue the value of the dedicated taint it must carry
     */
    private static NodeVerdict check(
            Node node,
            VirtualMachineInstance vmi,
            String expectedName,
            String selfUid,
            String taintValue,
            String dedicatedTaintKey) {
        List<String> rejections = new ArrayList<>();
        List<String> waits = new ArrayList<>();
        String name = node.getMetadata().getName();
        if (!expectedName.equals(name) || !expectedName.equals(vmi.getMetadata().getName())) {
            rejections.add("node " + name + " is not " + expectedName);
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        String claimed = labels == null ? null : labels.get(Names.POD_UID_LABEL);
        if (claimed != null && !claimed.equals(selfUid)) {
            rejections.add("node claims pod UID " + claimed + ", expected " + (selfUid == null ? "none" : selfUid));
        }
        if (!hasDedicatedTaint(node, dedicatedTaintKey, taintValue)) {
            rejections.add(
                    "node did not register with the taint " + dedicatedTaintKey + "=" + taintValue + ":NoSchedule");
        }
        checkAddresses(node, vmi, rejections, waits);
        checkSystemUuid(node, vmi, rejections, waits);
        if (node.getMetadata().getDeletionTimestamp() != null) {
            waits.add("node is being deleted");
        }
        if (!rejections.isEmpty()) {
            return new NodeVerdict(Outcome.REJECTED, List.copyOf(rejections));
        }
        return waits.isEmpty() ? NodeVerdict.verified() : new NodeVerdict(Outcome.WAITING, List.copyOf(waits));
    }

    private static void checkAddresses(
            Node node, VirtualMachineInstance vmi, List<String> rejections, List<String> waits) {
        boolean onNodeLan = onNodeLan(vmi);
        List<String> vmiIps = onNodeLan
                ? nodeLanAddresses(vmi)
                : vmi.getStatus() == null ? List.of() : vmi.getStatus().allIpAddresses();
        String owner = (onNodeLan ? "the " + NodeLan.NETWORK_NAME + " interface of VMI " : "VMI ")
                + vmi.getMetadata().getName();
        List<String> nodeIps = internalIps(node);
        if (vmiIps.isEmpty()) {
            waits.add(
                    onNodeLan
                            ? "the guest agent reports no address on " + owner + " yet"
                            : "VMI " + vmi.getMetadata().getName() + " reports no IP address yet");
        } else if (nodeIps.isEmpty()) {
            waits.add("node reports no InternalIP yet");
        } else {
            for (String ip : nodeIps) {
                if (!vmiIps.contains(ip)) {
                    rejections.add("node InternalIP " + ip + " is not an address of " + owner + " " + vmiIps);
                }
            }
        }
    }

    /** True when the VMI's network is the node LAN: its node must register the address of that interface. */
    static boolean onNodeLan(VirtualMachineInstance vmi) {
        return vmi.getSpec() != null
                && vmi.getSpec().networks != null
                && vmi.getSpec().networks.stream()
                        .anyMatch(n -> NodeLan.NETWORK_NAME.equals(n.name) && n.multus != null);
    }

    /** The node LAN interface's addresses as the guest has them configured (reported by its guest agent). */
    private static List<String> nodeLanAddresses(VirtualMachineInstance vmi) {
        return vmi.getStatus() == null
                ? List.of()
                : vmi.getStatus()
                        .interfaceOf(NodeLan.NETWORK_NAME)
                        .filter(VmiStatus.InterfaceStatus::reportedByGuestAgent)
                        .map(VmiStatus.InterfaceStatus::addresses)
                        .orElse(List.of());
    }

    private static void checkSystemUuid(
            Node node, VirtualMachineInstance vmi, List<String> rejections, List<String> waits) {
        String expected = vmi.getSpec() == null || vmi.getSpec().domain == null || vmi.getSpec().domain.firmware == null
                ? null
                : vmi.getSpec().domain.firmware.uuid;
        if (expected == null || expected.isBlank()) {
            return;
        }
        String actual = node.getStatus() == null || node.getStatus().getNodeInfo() == null
                ? null
                : node.getStatus().getNodeInfo().getSystemUUID();
        if (actual == null || actual.isBlank()) {
            waits.add("node reports no systemUUID yet");
        } else if (!actual.equalsIgnoreCase(expected)) {
            rejections.add("node systemUUID " + actual + " is not the VMI's firmware UUID");
        }
    }

    static List<String> internalIps(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return List.of();
        }
        return node.getStatus().getAddresses().stream()
                .filter(a -> "InternalIP".equals(a.getType()))
                .map(NodeAddress::getAddress)
                .toList();
    }

    private static boolean hasDedicatedTaint(Node node, String key, String podUid) {
        List<Taint> taints = node.getSpec() == null ? null : node.getSpec().getTaints();
        return taints != null
                && taints.stream()
                        .anyMatch(t -> key.equals(t.getKey())
                                && podUid.equals(t.getValue())
                                && "NoSchedule".equals(t.getEffect()));
    }

    /** True when the node carries the label only the provisioner sets, for this pod. */
    public static boolean isVerifiedFor(Node node, String podUid) {
        Map<String, String> labels = node == null ? null : node.getMetadata().getLabels();
        return labels != null && podUid.equals(labels.get(Names.VERIFIED_POD_UID_LABEL));
    }
}

package io.maroonedpods.testcluster.kubevirt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The status KubeVirt writes on a VMI in each phase, as a JSON-merge-patch body (pure). */
public final class VmiStatus {
    private VmiStatus() {}

    public enum Phase {
        Pending,
        Scheduled,
        Running,
        Failed
    }

    /**
     * @param host  the worker whose virt-launcher pod runs the VM (set from Scheduled on)
     * @param iface the interface the guest reports ({@link #podInterface} or {@link #nodeLanInterface}; from Running
     *              on)
     */
    public static Map<String, Object> patch(Phase phase, String host, Map<String, Object> iface, String failure) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase.name());
        if (phase != Phase.Pending) {
            status.put("nodeName", host);
        }
        if (phase == Phase.Running) {
            status.put("interfaces", List.of(iface));
            status.put("conditions", List.of(Map.of("type", "Ready", "status", "True")));
        }
        if (phase == Phase.Failed) {
            status.put("reason", failure);
            status.put("conditions", List.of(Map.of("type", "Ready", "status", "False", "reason", failure)));
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("status", status);
        return patch;
    }

    /** The guest's NIC on the pod network as KubeVirt reports it (bridge binding: the pod's address). */
    public static Map<String, Object> podInterface(String ip) {
        return Map.of(
                "name",
                "default",
                "interfaceName",
                "eth0",
                "ipAddress",
                ip,
                "ipAddresses",
                List.of(ip),
                "infoSource",
                "domain, guest-agent");
    }

    /**
     * The guest's NIC on the node LAN (Multus network {@code network}) as KubeVirt reports it: under the network's
     * name, with the MAC the VMI asked for and the address the guest agent sees (from the LAN's DHCP).
     */
    public static Map<String, Object> nodeLanInterface(String network, String mac, String ip) {
        return Map.of(
                "name",
                network,
                "interfaceName",
                "enp1s0",
                "mac",
                mac,
                "ipAddress",
                ip,
                "ipAddresses",
                List.of(ip),
                "infoSource",
                "domain, guest-agent, multus-status");
    }

    /** The n-th guest address on the node LAN (192.168.0.0/16; the workers sit at 192.168.122.x). */
    public static String lanAddress(int n) {
        return "192.168." + (130 + n / 250) + "." + (2 + n % 250);
    }

    /** The n-th guest address on the pod network (10.42.0.0/16, k3s' default cluster CIDR). */
    public static String guestAddress(int n) {
        return "10.42." + (1 + n / 250) + "." + (2 + n % 250);
    }
}

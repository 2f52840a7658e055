package io.maroonedpods.simulator.kubevirt;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The status KubeVirt writes on a VMI in each phase, as a JSON-merge-patch body (pure). */
public final class VmiStatus {
    private VmiStatus() {
    }

    public enum Phase { Pending, Scheduled, Running, Failed }

    /**
     * @param host the worker whose virt-launcher pod runs the VM (set from Scheduled on)
     * @param ip   the guest's address on the pod network (set from Running on)
     */
    public static Map<String, Object> patch(Phase phase, String host, String ip, String failure) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("phase", phase.name());
        if (phase != Phase.Pending) {
            status.put("nodeName", host);
        }
        if (phase == Phase.Running) {
            status.put("interfaces", List.of(Map.of("name", "default", "interfaceName", "eth0", "ipAddress", ip,
                    "ipAddresses", List.of(ip), "infoSource", "domain, guest-agent")));
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

    /** The n-th guest address on the pod network (10.42.0.0/16, k3s' default cluster CIDR). */
    public static String guestAddress(int n) {
        return "10.42." + (1 + n / 250) + "." + (2 + n % 250);
    }
}

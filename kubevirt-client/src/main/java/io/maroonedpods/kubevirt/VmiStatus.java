package io.maroonedpods.kubevirt;

import java.util.ArrayList;
import java.util.List;

/** {@code status} of a VirtualMachineInstance, as virt-controller and virt-handler report it. */
public class VmiStatus extends KubeVirtObject {
    public String phase;
    public List<Condition> conditions;
    /** The host node running the virt-launcher pod (not the node the guest registers as). */
    public String nodeName;
    public List<InterfaceStatus> interfaces;
    public List<PhaseTransition> phaseTransitionTimestamps;
    public String reason;

    public static class Condition extends KubeVirtObject {
        public String type;
        public String status;
        public String reason;
        public String message;
        public String lastProbeTime;
        public String lastTransitionTime;
    }

    public static class InterfaceStatus extends KubeVirtObject {
        public String name;
        public String ipAddress;
        public List<String> ipAddresses;
        public String mac;
        public String interfaceName;
        public String infoSource;
    }

    public static class PhaseTransition extends KubeVirtObject {
        public String phase;
        public String phaseTransitionTimestamp;
    }

    /** Every IP address the guest's interfaces report, primary addresses first, without duplicates. */
    public List<String> allIpAddresses() {
        List<String> ips = new ArrayList<>();
        if (interfaces == null) {
            return ips;
        }
        for (InterfaceStatus iface : interfaces) {
            if (iface.ipAddress != null && !iface.ipAddress.isBlank() && !ips.contains(iface.ipAddress)) {
                ips.add(iface.ipAddress);
            }
        }
        for (InterfaceStatus iface : interfaces) {
            if (iface.ipAddresses != null) {
                iface.ipAddresses.stream().filter(ip -> ip != null && !ip.isBlank() && !ips.contains(ip)).forEach(ips::add);
            }
        }
        return ips;
    }
}

package io.maroonedpods.kubevirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
        /** Where KubeVirt learnt this: {@code domain}, {@code guest-agent}, {@code multus-status}, comma-separated. */
        public String infoSource;

        /** True when the guest agent reported it: the addresses are the ones the guest has configured. */
        public boolean reportedByGuestAgent() {
            return infoSource != null && infoSource.contains("guest-agent");
        }

        /** Its addresses, the primary first, without blanks or duplicates. */
        public List<String> addresses() {
            List<String> ips = new ArrayList<>();
            if (ipAddress != null && !ipAddress.isBlank()) {
                ips.add(ipAddress);
            }
            if (ipAddresses != null) {
                ipAddresses.stream()
                        .filter(ip -> ip != null && !ip.isBlank() && !ips.contains(ip))
                        .forEach(ips::add);
            }
            return ips;
        }
    }

    /** The status of the interface of network {@code name} (interfaces are reported under their network's name). */
    public Optional<InterfaceStatus> interfaceOf(String name) {
        return interfaces == null
                ? Optional.empty()
                : interfaces.stream().filter(iface -> name.equals(iface.name)).findFirst();
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
                iface.ipAddresses.stream()
                        .filter(ip -> ip != null && !ip.isBlank() && !ips.contains(ip))
                        .forEach(ips::add);
            }
        }
        return ips;
    }
}

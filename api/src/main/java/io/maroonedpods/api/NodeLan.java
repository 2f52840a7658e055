package io.maroonedpods.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The underlay node network: a VM node's only NIC bridged onto the node LAN through a Multus
 * NetworkAttachmentDefinition. Its k3s agent registers that NIC's address as node-ip and runs flannel over it
 * ({@code flannel-iface}), so the VM is a node like any other. On the pod network a VM's VXLAN endpoint would be a pod
 * IP of the host cluster, which other nodes route back into their own tunnel (node-network/README.md).
 */
public final class NodeLan {
    private NodeLan() {}

    /** Name of the VMI network and interface on the node LAN; KubeVirt reports the interface under this name. */
    public static final String NETWORK_NAME = "node-lan";

    /** How a MAC address is written in the join info and in the VMI: six lower-case hex pairs, colon-separated. */
    public static final Pattern MAC_FORM = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    /**
     * The MAC address of VM {@code vmName}'s NIC on the node LAN: {@code 02:} (locally administered, unicast) and
     * the first five bytes of the SHA-256 of the name. Deterministic, so a re-created VM of the same name keeps its
     * MAC (and a DHCP reservation keyed on it), and the boot script finds the NIC by it whatever the guest names it.
     */
    public static String macAddress(String vmName) {
        byte[] digest = sha256(vmName);
        byte[] mac = new byte[6];
        mac[0] = 0x02;
        System.arraycopy(digest, 0, mac, 1, 5);
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}

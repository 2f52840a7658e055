package io.maroonedpods.provisioner.node;

import static io.maroonedpods.provisioner.node.NodeVerificationTest.FIRMWARE;
import static io.maroonedpods.provisioner.node.NodeVerificationTest.NAME;
import static io.maroonedpods.provisioner.node.NodeVerificationTest.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiSpec;
import io.maroonedpods.kubevirt.VmiStatus;
import io.maroonedpods.provisioner.node.NodeVerdict.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On the node LAN the node must register the address the guest agent reports for the node-lan interface. */
class NodeLanVerificationTest {
    static final String LAN_IP = "192.168.50.21";

    /** A node-LAN VMI whose status lists the given interfaces. */
    static VirtualMachineInstance vmi(VmiStatus.InterfaceStatus... interfaces) {
        VirtualMachineInstance vmi = NodeVerificationTest.vmi();
        vmi.getSpec().networks = List.of(VmiSpec.Network.multus(NodeLan.NETWORK_NAME, "kube-system/node-lan"));
        vmi.getStatus().interfaces = new ArrayList<>(List.of(interfaces));
        return vmi;
    }

    static VmiStatus.InterfaceStatus iface(String network, String source, String... ips) {
        VmiStatus.InterfaceStatus iface = new VmiStatus.InterfaceStatus();
        iface.name = network;
        iface.infoSource = source;
        iface.ipAddress = ips.length == 0 ? null : ips[0];
        iface.ipAddresses = List.of(ips);
        return iface;
    }

    static NodeVerdict check(String internalIp, VirtualMachineInstance vmi) {
        return NodeVerification.check(
                node(NAME, internalIp, FIRMWARE).build(), vmi, NodeVerificationTest.UID, Names.DEDICATED_TAINT);
    }

    @Test
    void aNodeRegisteredWithItsNodeLanAddressIsVerified() {
        VirtualMachineInstance vmi = vmi(
                iface(NodeLan.NETWORK_NAME, "domain, guest-agent, multus-status", LAN_IP, "fe80::5f:1cff:fe3a:9e2b"));

        assertThat(check(LAN_IP, vmi)).isEqualTo(NodeVerdict.verified());
    }

    @Test
    void anyOtherAddressOfTheVmiIsRejected() {
        VirtualMachineInstance vmi = vmi(
                iface(NodeLan.NETWORK_NAME, "domain, guest-agent", LAN_IP),
                iface("other", "domain, guest-agent", "10.99.0.7"));

        NodeVerdict verdict = check("10.99.0.7", vmi);

        assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(verdict.summary())
                .contains("node InternalIP 10.99.0.7 is not an address of the node-lan interface" + " of VMI " + NAME
                        + " [" + LAN_IP + "]");
    }

    @Test
    void anAddressTheGuestAgentHasNotReportedIsWaitedFor() {
        VirtualMachineInstance fromMultusOnly = vmi(iface(NodeLan.NETWORK_NAME, "multus-status", LAN_IP));
        VirtualMachineInstance noInterfaceYet = vmi();

        for (VirtualMachineInstance vmi : List.of(fromMultusOnly, noInterfaceYet)) {
            NodeVerdict verdict = check(LAN_IP, vmi);
            assertThat(verdict.outcome()).isEqualTo(Outcome.WAITING);
            assertThat(verdict.summary())
                    .contains("the guest agent reports no address on the node-lan interface of VMI " + NAME + " yet");
        }
    }
}

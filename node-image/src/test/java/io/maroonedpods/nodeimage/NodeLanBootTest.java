package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeIdentity;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.Shell;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot script on the node LAN: node-ip is the address of the NIC the join info names by its MAC, flannel runs
 * over that NIC (flannel-iface), whatever the guest called it and whatever other NICs and routes it has.
 */
class NodeLanBootTest {
    static final String UID = BootScriptTest.UID;
    static final String NODE = Names.nodeName(UID);
    static final String MAC = NodeLan.macAddress(NODE);
    static final String LAN_IP = "192.168.50.21";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    BootScript vm;

    @BeforeEach
    void setUp() {
        vm = new BootScript(dir);
    }

    static JoinInfo onNodeLan() {
        return new JoinInfo(
                        "https://192.168.50.10:6443",
                        BootScriptTest.TOKEN,
                        UID,
                        Names.DEFAULT_TAINT_KEY,
                        NODE,
                        BootScriptTest.NODE_PASSWORD)
                .withNodeMac(MAC);
    }

    @Test
    void rendersTheNodeLanNicsAddressAsNodeIpAndItsNameAsFlannelIface() {
        vm.writeJoinInfo(onNodeLan().render())
                .guestHasNic("eth0", "52:54:00:12:34:56", 1450, "10.244.1.17/24")
                .guestHasNic("enp2s0", MAC, 1500, LAN_IP + "/24");

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(vm.k3sConfigText()).isEqualTo(vm.golden("node-lan-node.yaml"));
        assertThat(result.stdout())
                .contains("node-ip " + LAN_IP + " on the node LAN interface enp2s0, MTU 1500,"
                        + " flannel VXLAN MTU 1450");
    }

    @Test
    void theNodeRegistersTheNicTheControlPlaneExpects() throws IOException {
        JoinInfo join = onNodeLan();
        vm.writeJoinInfo(Userdata.joinInfoFile(Userdata.render(join))).guestHasNic("enp1s0", MAC, 9000, "10.20.0.7/16");

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode config = YAML.readTree(vm.k3sConfigText());
        assertThat(NodeIdentity.registeredInterfaceMac(join)).contains(MAC);
        assertThat(config.path("node-ip").asText()).isEqualTo("10.20.0.7");
        assertThat(config.path("flannel-iface").asText()).isEqualTo("enp1s0");
    }

    @Test
    void onThePodNetworkNoFlannelIfaceIsRendered() throws IOException {
        JoinInfo join = onNodeLan().withNodeMac("");
        vm.writeJoinInfo(join.render()).guestHasNic("enp2s0", MAC, 1500, LAN_IP + "/24");

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(NodeIdentity.registeredInterfaceMac(join)).isEmpty();
        JsonNode config = YAML.readTree(vm.k3sConfigText());
        assertThat(config.path("node-ip").asText()).isEqualTo(BootScript.GUEST_IP);
        assertThat(config.has("flannel-iface")).isFalse();
    }

    @Test
    void waitsForTheLansAddressAndGivesUpNamingTheNic() {
        vm.writeJoinInfo(onNodeLan().render()).guestHasNic("enp2s0", MAC, 1500, null);

        Shell.Result result = vm.run(Map.of("MAROONED_ADDRESS_WAIT_SECONDS", "1"));

        assertThat(result.exitCode()).isEqualTo(16);
        assertThat(result.stderr())
                .contains("the node LAN interface enp2s0 (" + MAC + ") has no IPv4 address after 1s:"
                        + " check the LAN's DHCP or the NetworkAttachmentDefinition's IPAM");
        assertThat(vm.k3sConfig).doesNotExist();
    }

    @Test
    void aGuestWithoutTheNodeLanNicFailsWithItsOwnCode() {
        vm.writeJoinInfo(onNodeLan().render()).guestHasNic("eth0", "52:54:00:12:34:56", 1500, "10.244.1.17/24");

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).isEqualTo(21);
        assertThat(result.stderr())
                .contains("no network interface has the node LAN MAC " + MAC
                        + " (join info node_mac) after 0s: is the VMI's node-lan interface attached?");
        assertThat(vm.k3sConfig).doesNotExist();
    }

    @Test
    void theScriptAndTheApiRefuseTheSameMalformedMac() {
        for (String bad : new String[] {"02:AB:cd:00:11:22", "02:ab:cd:00:11", "02-ab-cd-00-11-22"}) {
            JoinInfo join = onNodeLan().withNodeMac(bad);
            BootScript bootOf = new BootScript(dir.resolve(bad.replace(':', '_')));
            bootOf.writeJoinInfo(BootScriptTest.joinInfo(join.serverUrl(), join.token(), UID, join.taintKey(), NODE)
                    + "node_mac: \"" + bad + "\"\n");

            Shell.Result result = bootOf.run();

            assertThat(join.problems()).as(bad).singleElement().asString().startsWith("node_mac:");
            assertThat(result.exitCode()).as(bad).isEqualTo(20);
            assertThat(result.stderr())
                    .contains("node_mac: must be a MAC address such as 02:1a:2b:3c:4d:5e (lower"
                            + " case) or empty, got '" + bad + "'");
        }
    }
}

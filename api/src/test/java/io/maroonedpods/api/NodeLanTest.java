package io.maroonedpods.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeLanTest {
    static final String UID = "0a1b2c3d-4e5f-6789-abcd-ef0123456789";

    @Test
    void aVmsNodeLanMacIsLocallyAdministeredUnicastAndFollowsFromItsName() {
        String mac = NodeLan.macAddress(Names.nodeName(UID));

        assertThat(mac).matches(NodeLan.MAC_FORM).startsWith("02:");
        assertThat(NodeLan.macAddress(Names.nodeName(UID))).isEqualTo(mac);
        assertThat(NodeLan.macAddress("maroon-pool-x7k2q")).isNotEqualTo(mac).startsWith("02:");
    }

    @Test
    void theJoinInfoCarriesTheMacOnlyOnTheNodeLan() {
        JoinInfo pod = new JoinInfo(
                "https://10.0.0.1:6443",
                "t",
                UID,
                "maroonedpods.io",
                Names.nodeName(UID),
                "0123456789abcdef0123456789abcdef");
        JoinInfo lan = pod.withNodeMac(NodeLan.macAddress(Names.nodeName(UID)));

        assertThat(pod.render()).doesNotContain(JoinInfo.NODE_MAC);
        assertThat(lan.render()).endsWith("node_mac: \"" + lan.nodeMac() + "\"\n");
        assertThat(JoinInfo.parse(lan.render())).isEqualTo(lan);
        assertThat(JoinInfo.parse(pod.render())).isEqualTo(pod);
        assertThat(NodeIdentity.registeredInterfaceMac(lan)).contains(lan.nodeMac());
        assertThat(NodeIdentity.registeredInterfaceMac(pod)).isEmpty();
    }

    @Test
    void aMalformedMacIsRefusedNamingTheField() {
        JoinInfo bad = new JoinInfo(
                        "https://10.0.0.1:6443",
                        "t",
                        UID,
                        "maroonedpods.io",
                        Names.nodeName(UID),
                        "0123456789abcdef0123456789abcdef")
                .withNodeMac("02:AB:cd:00:11");

        assertThat(bad.problems())
                .containsExactly("node_mac: must be a MAC address such as 02:1a:2b:3c:4d:5e"
                        + " (lower case) or empty, got '02:AB:cd:00:11'");
    }
}

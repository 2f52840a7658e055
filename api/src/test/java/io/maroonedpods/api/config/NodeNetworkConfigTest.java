package io.maroonedpods.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.maroonedpods.api.config.MaroonedPodsConfigSpec.JoinConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.NodeNetwork;
import org.junit.jupiter.api.Test;

class NodeNetworkConfigTest {
    static final JoinConfig LAN_SERVER = new JoinConfig("https://192.168.50.10:6443", null);

    static MaroonedPodsConfigSpec spec(String attachment, String binding, JoinConfig join) {
        return new MaroonedPodsConfigSpec(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                join,
                null,
                binding,
                null,
                null,
                null,
                new NodeNetwork(attachment));
    }

    @Test
    void withoutANodeNetworkTheVmsSitOnThePodNetwork() {
        assertThat(EffectiveConfig.defaults().onNodeLan()).isFalse();
        assertThat(EffectiveConfig.defaults().nodeNetworkAttachment()).isNull();
        assertThat(EffectiveConfig.of(MaroonedPodsConfigSpec.empty().withNodeNetwork(new NodeNetwork(null)))
                        .onNodeLan())
                .isFalse();
    }

    @Test
    void aNetworkAttachmentPutsTheVmsOnTheNodeLan() {
        EffectiveConfig config = EffectiveConfig.of(spec("kube-system/node-lan", null, LAN_SERVER));

        assertThat(config.onNodeLan()).isTrue();
        assertThat(config.nodeNetworkAttachment()).isEqualTo("kube-system/node-lan");
        assertThat(config.networkBinding()).isEqualTo("bridge");
    }

    @Test
    void aNameAloneIsInTheVmNamespace() {
        assertThat(EffectiveConfig.of(spec("node-lan", null, LAN_SERVER)).nodeNetworkAttachment())
                .isEqualTo("maroonedpods-nodes/node-lan");
    }

    @Test
    void aMalformedAttachmentIsRefusedNamingTheField() {
        for (String bad : new String[] {"a/b/c", "Kube-System/lan", "ns/", "/lan", "ns/lan net"}) {
            InvalidConfigException e =
                    assertThrows(InvalidConfigException.class, () -> EffectiveConfig.of(spec(bad, null, LAN_SERVER)));
            assertThat(e.problems())
                    .as(bad)
                    .containsExactly("spec.nodeNetwork.networkAttachment: must be"
                            + " <namespace>/<name> (or <name>) of a NetworkAttachmentDefinition, got '" + bad + "'");
        }
    }

    @Test
    void theNodeLanIsBridgedSoAnotherBindingIsRefused() {
        InvalidConfigException e = assertThrows(
                InvalidConfigException.class, () -> EffectiveConfig.of(spec("ns/lan", "passt", LAN_SERVER)));

        assertThat(e.problems())
                .containsExactly("spec.networkBinding: the node LAN (spec.nodeNetwork) is attached"
                        + " with the bridge binding; passt applies to the pod network only, got 'passt'");
    }

    @Test
    void aServerUrlOnlyClusterDnsResolvesIsRefusedOnTheNodeLan() {
        for (String url :
                new String[] {"https://kubernetes.default.svc:443", "https://kubernetes.default.svc.cluster.local"}) {
            InvalidConfigException e = assertThrows(
                    InvalidConfigException.class,
                    () -> EffectiveConfig.of(spec("ns/lan", null, new JoinConfig(url, null))));
            assertThat(e.problems())
                    .containsExactly("spec.join.serverURL: a VM on the node LAN (spec.nodeNetwork)"
                            + " cannot resolve cluster Service names: use the k3s server's address on the LAN, such as"
                            + " https://192.168.1.10:6443, got '" + url + "'");
        }
        assertThat(EffectiveConfig.of(spec("ns/lan", null, new JoinConfig("https://k3s.lan.example.com:6443", null)))
                        .onNodeLan())
                .isTrue();
    }
}

package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.NetworkManagerConf;
import io.maroonedpods.nodeimage.support.NodeImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NetworkManager in the image leaves the cluster network's interfaces alone. NspawnBootTest also has the Debian
 * NetworkManager print the configuration it reads from the image's files.
 */
class NetworkManagerConfTest {
    static final Path CONF = NodeImage.ROOTFS.resolve("etc/NetworkManager/conf.d/90-marooned-cni.conf");
    static final List<String> CNI_INTERFACES = List.of(
            "cni0",
            "flannel.1",
            "flannel-v6.1",
            "flannel-wg",
            "veth3f2a1b7c",
            "cali5d2f8b8e3c4",
            "tunl0",
            "vxlan.calico",
            "wireguard.cali");

    @Test
    void networkManagerLeavesEveryInterfaceOfFlannelAndCalicoAlone() {
        NetworkManagerConf conf = NetworkManagerConf.parse(BootScript.read(CONF));

        assertThat(CNI_INTERFACES)
                .allSatisfy(name -> assertThat(conf.leavesAlone(name)).as(name).isTrue());
    }

    @Test
    void networkManagerStillManagesTheVmsOwnInterfaces() {
        NetworkManagerConf conf = NetworkManagerConf.parse(BootScript.read(CONF));

        assertThat(List.of("eth0", "enp1s0", "lo0"))
                .noneSatisfy(name -> assertThat(conf.leavesAlone(name)).isTrue());
    }

    @Test
    void theSettingIsReadOnlyFromTheKeyfileSection() {
        assertThat(NetworkManagerConf.parse("[main]\nunmanaged-devices=interface-name:cni0\n")
                        .leavesAlone("cni0"))
                .isFalse();
    }
}

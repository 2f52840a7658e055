package io.maroonedpods.provisioner.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.JoinConfig;
import io.maroonedpods.api.config.MaroonedPodsConfigSpec.NodeNetwork;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.schema.VmiSchema;
import io.maroonedpods.provisioner.join.JoinPin;
import io.maroonedpods.provisioner.join.VmCredentials;
import io.maroonedpods.provisioner.pool.PoolVm;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** On the node LAN a VM gets one bridged NIC on the Multus network, with a MAC its join info names. */
class NodeLanVmTest {
    static final String NODE = Names.nodeName(DesiredVmTest.UID);

    static EffectiveConfig nodeLan() {
        return EffectiveConfig.of(new MaroonedPodsConfigSpec(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new JoinConfig("https://192.168.50.10:6443", null),
                "vms",
                null,
                null,
                null,
                null,
                new NodeNetwork("kube-system/node-lan")));
    }

    @Test
    void theVmisOnlyNicIsBridgedOntoTheNodeLanWithTheMacOfItsName() {
        VirtualMachineInstance vmi = DesiredVm.vmi(DesiredVmTest.pod(), nodeLan(), "uuid-1", DesiredVmTest.NOW, 1);

        assertThat(vmi.getSpec().networks).singleElement().satisfies(n -> {
            assertThat(n.name).isEqualTo(NodeLan.NETWORK_NAME);
            assertThat(n.multus.networkName).isEqualTo("kube-system/node-lan");
            assertThat(n.pod).isNull();
        });
        assertThat(vmi.getSpec().domain.devices.interfaces).singleElement().satisfies(i -> {
            assertThat(i.name).isEqualTo(NodeLan.NETWORK_NAME);
            assertThat(i.bridge).isNotNull();
            assertThat(i.macAddress).isEqualTo(NodeLan.macAddress(NODE));
        });
    }

    @Test
    void theJoinInfoNamesTheNicByItsMacOnTheNodeLanOnly() {
        VmCredentials credentials = VmCredentials.mint(new SecureRandom());
        JoinPin pin = DesiredVmTest.PIN;
        JoinInfo onLan = joinInfoOf(DesiredVm.userdataSecret(DesiredVmTest.pod(), nodeLan(), credentials, pin));
        assertThat(onLan.nodeMac()).isEqualTo(NodeLan.macAddress(NODE));
        assertThat(onLan.nodePassword())
                .as("the VM's own password on the node LAN too")
                .isEqualTo(credentials.nodePassword());
        assertThat(joinInfoOf(DesiredVm.userdataSecret(
                                DesiredVmTest.pod(), EffectiveConfig.defaults(), credentials, pin))
                        .onNodeLan())
                .isFalse();
        String pool = "maroon-pool-x7k2q";
        assertThat(joinInfoOf(PoolVm.userdata(pool, nodeLan(), credentials, pin))
                        .nodeMac())
                .isEqualTo(NodeLan.macAddress(pool));
    }

    @Test
    void kubeVirtsSchemaAcceptsTheVmiOnTheNodeLanAndOnThePodNetwork() {
        Optional<VmiSchema> schema = VmiSchema.load();
        assumeTrue(schema.isPresent(), VmiSchema.whereToPutIt());

        assertThat(schema.get().problems(DesiredVm.vmi(DesiredVmTest.pod(), nodeLan(), "u", DesiredVmTest.NOW, 1)))
                .isEmpty();
        assertThat(schema.get()
                        .problems(DesiredVm.vmi(
                                DesiredVmTest.pod(), EffectiveConfig.defaults(), "u", DesiredVmTest.NOW, 1)))
                .isEmpty();
        assertThat(schema.get().problems(PoolVm.desired("maroon-pool-x7k2q", nodeLan(), "u", DesiredVmTest.NOW)))
                .isEmpty();
    }

    private static JoinInfo joinInfoOf(Secret secret) {
        String userdata = new String(
                Base64.getDecoder().decode(secret.getData().get(Names.USERDATA_KEY)), StandardCharsets.UTF_8);
        return JoinInfo.parse(Userdata.joinInfoFile(userdata));
    }
}

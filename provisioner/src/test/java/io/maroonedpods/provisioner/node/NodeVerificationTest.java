package io.maroonedpods.provisioner.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.Domain;
import io.maroonedpods.kubevirt.VirtualMachineInstance;
import io.maroonedpods.kubevirt.VmiSpec;
import io.maroonedpods.kubevirt.VmiStatus;
import io.maroonedpods.provisioner.node.NodeVerdict.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class NodeVerificationTest {
    public static final String UID = "5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f";
    public static final String NAME = Names.nodeName(UID);
    public static final String FIRMWARE = "4b6d1f38-9c2e-4e7a-8f51-0a3c2d9e7b64";
    static final String TAINT = Names.DEDICATED_TAINT;

    /** A VMI of pod {@link #UID} with the firmware UUID its node reports (shared with other verification tests). */
    public static VirtualMachineInstance vmi(String... ips) {
        VirtualMachineInstance vmi = new VirtualMachineInstance();
        vmi.getMetadata().setName(NAME);
        vmi.setSpec(new VmiSpec());
        vmi.getSpec().domain = new Domain();
        vmi.getSpec().domain.firmware = new Domain.Firmware();
        vmi.getSpec().domain.firmware.uuid = FIRMWARE;
        vmi.setStatus(new VmiStatus());
        VmiStatus.InterfaceStatus iface = new VmiStatus.InterfaceStatus();
        iface.ipAddresses = List.of(ips);
        vmi.getStatus().interfaces = List.of(iface);
        return vmi;
    }

    public static NodeBuilder node(String name, String ip, String systemUuid) {
        NodeBuilder builder = new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of(Names.POD_UID_LABEL, UID))
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey(TAINT)
                .withValue(UID)
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec();
        var status = builder.withNewStatus()
                .withNewNodeInfo()
                .withSystemUUID(systemUuid)
                .endNodeInfo();
        if (ip != null) {
            status.addNewAddress().withType("InternalIP").withAddress(ip).endAddress();
        }
        status.addNewAddress().withType("Hostname").withAddress(name).endAddress();
        return status.endStatus();
    }

    static NodeVerdict check(Node node, VirtualMachineInstance vmi) {
        return NodeVerification.check(node, vmi, UID, TAINT);
    }

    @Test
    void theNodeOfOurVmIsVerified() {
        assertThat(check(node(NAME, "10.42.3.17", FIRMWARE.toUpperCase()).build(), vmi("10.42.3.17", "fd00::11")))
                .isEqualTo(NodeVerdict.verified());
    }

    @Test
    void aNodeWhoseAddressIsNotTheVmisIsRejected() {
        NodeVerdict verdict = check(node(NAME, "192.168.1.5", FIRMWARE).build(), vmi("10.42.3.17"));

        assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(verdict.summary()).contains("InternalIP 192.168.1.5 is not an address of VMI " + NAME);
    }

    @Test
    void aNodeWithAnotherSystemUuidIsRejected() {
        NodeVerdict verdict = check(
                node(NAME, "10.42.3.17", "00000000-0000-0000-0000-000000000000").build(), vmi("10.42.3.17"));

        assertThat(verdict.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(verdict.summary()).contains("systemUUID");
    }

    @Test
    void aNodeUnderAnotherNameOrClaimingAnotherPodOrWithoutTheTaintIsRejected() {
        assertThat(check(node("maroon-other", "10.42.3.17", FIRMWARE).build(), vmi("10.42.3.17"))
                        .outcome())
                .isEqualTo(Outcome.REJECTED);
        Node otherClaim = node(NAME, "10.42.3.17", FIRMWARE)
                .editMetadata()
                .addToLabels(Names.POD_UID_LABEL, "11111111-2222-3333-4444-555555555555")
                .endMetadata()
                .build();
        assertThat(check(otherClaim, vmi("10.42.3.17")).summary()).contains("claims pod UID 11111111");
        Node untainted = node(NAME, "10.42.3.17", FIRMWARE)
                .editSpec()
                .withTaints(List.of())
                .endSpec()
                .build();
        assertThat(check(untainted, vmi("10.42.3.17")).summary()).contains("did not register with the taint");
    }

    @Test
    void withoutAddressesYetTheVerdictWaitsInsteadOfRejecting() {
        assertThat(check(node(NAME, "10.42.3.17", FIRMWARE).build(), vmi()).outcome())
                .isEqualTo(Outcome.WAITING);
        assertThat(check(node(NAME, null, FIRMWARE).build(), vmi("10.42.3.17")).outcome())
                .isEqualTo(Outcome.WAITING);
        assertThat(check(node(NAME, "10.42.3.17", "").build(), vmi("10.42.3.17"))
                        .outcome())
                .isEqualTo(Outcome.WAITING);
    }

    @Test
    void onlyOurLabelForThisPodCountsAsVerified() {
        Node labelled = node(NAME, "10.42.3.17", FIRMWARE)
                .editMetadata()
                .addToLabels(Names.VERIFIED_POD_UID_LABEL, UID)
                .endMetadata()
                .build();
        assertThat(NodeVerification.isVerifiedFor(labelled, UID)).isTrue();
        assertThat(NodeVerification.isVerifiedFor(labelled, "other")).isFalse();
        assertThat(NodeVerification.isVerifiedFor(
                        node(NAME, "10.42.3.17", FIRMWARE).build(), UID))
                .isFalse();
        assertThat(NodeVerification.isVerifiedFor(null, UID)).isFalse();
    }
}

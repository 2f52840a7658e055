package io.maroonedpods.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserdataAndIdentityTest {
    static final String UID = JoinInfoTest.UID;

    @Test
    void userdataWritesTheJoinInfoFileAndKeepsTheTokenOutOfPlainSight() {
        String userdata = Userdata.render(JoinInfoTest.VALID);
        assertThat(userdata)
                .startsWith("#cloud-config\n")
                .contains("path: /etc/marooned/join-info.yaml", "permissions: '0600'", "encoding: b64")
                .doesNotContain("s3cret");
        assertThat(Userdata.joinInfoFile(userdata)).isEqualTo(JoinInfoTest.VALID.render());
        assertThat(JoinInfo.parse(Userdata.joinInfoFile(userdata))).isEqualTo(JoinInfoTest.VALID);
    }

    @Test
    void userdataWithoutTheJoinInfoIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Userdata.joinInfoFile("#cloud-config\nwrite_files: []\n"));
        assertThat(e.getMessage()).isEqualTo("user data writes no /etc/marooned/join-info.yaml");
        assertThrows(IllegalArgumentException.class, () -> Userdata.joinInfoFile("echo hi"));
    }

    @Test
    void aDedicatedNodeLabelsAndTaintsItselfWithItsPodUid() {
        assertThat(NodeIdentity.selfLabels(JoinInfoTest.VALID)).isEqualTo(Map.of("maroonedpods.io/pod-uid", UID));
        assertThat(NodeIdentity.registrationTaint(JoinInfoTest.VALID))
                .isEqualTo(new Taint("NoSchedule", "maroonedpods.io/dedicated", null, UID));
    }

    @Test
    void aPoolNodeCarriesThePoolLabelAndTaint() {
        JoinInfo pool =
                new JoinInfo("https://k3s:6443", "t", "", "example.com", "maroon-pool-x1", JoinInfoTest.PASSWORD);
        assertThat(NodeIdentity.selfLabels(pool)).isEqualTo(Map.of("maroonedpods.io/pool", "true"));
        assertThat(NodeIdentity.registrationTaint(pool))
                .isEqualTo(new Taint("NoSchedule", "example.com/dedicated", null, "pool"));
    }
}

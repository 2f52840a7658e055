package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeIdentity;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.K3sAgentConfig;
import io.maroonedpods.nodeimage.support.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract across parts: what the provisioner puts in the userdata Secret ({@link Userdata#render}), what
 * cloud-init writes from it ({@link Userdata#joinInfoFile}), what the boot script makes of that file, and the labels
 * and taint the node then registers with, which must be exactly what the provisioner verifies and the extender
 * trusts ({@link NodeIdentity}). A change on either side that breaks the other fails here.
 */
class JoinContractTest {
    static final String UID = "5d2f8b8e-3c41-4f6a-9b0e-7a1c2d3e4f50";
    static final String TOKEN = "K10" + "7".repeat(64) + "::abcdef.0123456789abcdef";
    static final String PASSWORD = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f";

    @TempDir
    Path dir;

    static Stream<JoinInfo> joins() {
        return Stream.of(
                new JoinInfo(
                        "https://10.43.0.1:443", TOKEN, UID, Names.DEFAULT_TAINT_KEY, Names.nodeName(UID), PASSWORD),
                new JoinInfo(
                        "https://k3s.example.internal:6443",
                        TOKEN,
                        UID,
                        "isolation.example.com",
                        Names.nodeName(UID),
                        PASSWORD),
                new JoinInfo(
                        "https://10.43.0.1:443",
                        TOKEN,
                        "",
                        Names.DEFAULT_TAINT_KEY,
                        Names.POOL_NODE_PREFIX + "x7k2q",
                        PASSWORD));
    }

    @ParameterizedTest
    @MethodSource("joins")
    void theNodeRegistersWithExactlyTheIdentityTheControlPlaneExpects(JoinInfo join) throws IOException {
        String writtenByCloudInit = Userdata.joinInfoFile(Userdata.render(join));
        BootScript vm = new BootScript(dir).writeJoinInfo(writtenByCloudInit);

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        K3sAgentConfig config = K3sAgentConfig.parse(vm.k3sConfigText());
        assertThat(config.server()).isEqualTo(join.serverUrl());
        assertThat(config.nodeName()).isEqualTo(join.nodeName());
        if (!join.isPoolNode()) {
            assertThat(config.nodeName()).isEqualTo(Names.nodeName(join.podUid()));
        }
        assertThat(config.nodeIp()).isEqualTo(BootScript.GUEST_IP);
        assertThat(config.labels()).isEqualTo(NodeIdentity.selfLabels(join));
        assertThat(config.taints()).containsExactly(NodeIdentity.registrationTaint(join));
        assertThat(Files.readString(Path.of(config.tokenFile()))).isEqualTo(join.token());
        assertThat(Files.readString(vm.nodePasswordFile).strip())
                .as("where k3s reads it, as it trims it")
                .isEqualTo(join.nodePassword());
    }

    /** The script accepts exactly what the api accepts: an invalid join info is refused on both sides. */
    @Test
    void theScriptAndTheApiAgreeOnWhatIsValid() {
        List<JoinInfo> cases = List.of(
                joins().findFirst().orElseThrow(),
                new JoinInfo("http://10.43.0.1", "t", UID, "maroonedpods.io", Names.nodeName(UID), PASSWORD),
                new JoinInfo("https://10.43.0.1", " ", UID, "maroonedpods.io", Names.nodeName(UID), PASSWORD),
                new JoinInfo(
                        "https://10.43.0.1", "t", UID.toUpperCase(), "maroonedpods.io", Names.nodeName(UID), PASSWORD),
                new JoinInfo("https://10.43.0.1", "t", UID, "-maroonedpods.io", Names.nodeName(UID), PASSWORD),
                new JoinInfo("https://10.43.0.1", "t", UID, "maroonedpods.io", "x".repeat(64), PASSWORD),
                new JoinInfo("https://10.43.0.1", "t", "", "maroonedpods.io", "maroon-pool-a", PASSWORD),
                new JoinInfo("https://10.43.0.1", "t", UID, "maroonedpods.io", Names.nodeName(UID), "short"),
                new JoinInfo("https://10.43.0.1", "t", UID, "maroonedpods.io", Names.nodeName(UID), ""));
        Map<JoinInfo, Boolean> apiSaysValid = new LinkedHashMap<>();
        Map<JoinInfo, Boolean> scriptSaysValid = new LinkedHashMap<>();
        int n = 0;
        for (JoinInfo join : cases) {
            BootScript vm = new BootScript(dir.resolve("case" + n++)).writeJoinInfo(rawFile(join));
            apiSaysValid.put(join, join.problems().isEmpty());
            scriptSaysValid.put(join, vm.run().exitCode() == 0);
        }
        assertThat(scriptSaysValid).isEqualTo(apiSaysValid);
        assertThat(apiSaysValid).containsValue(true).containsValue(false);
    }

    /** The file format of {@link JoinInfo#render()}, written without its validation so invalid values get through. */
    private static String rawFile(JoinInfo join) {
        return "# test\n" + JoinInfo.SERVER_URL + ": \"" + join.serverUrl() + "\"\n" + JoinInfo.TOKEN + ": \""
                + join.token() + "\"\n" + JoinInfo.POD_UID + ": \"" + join.podUid() + "\"\n" + JoinInfo.TAINT_KEY
                + ": \"" + join.taintKey() + "\"\n" + JoinInfo.NODE_NAME + ": \"" + join.nodeName() + "\"\n"
                + JoinInfo.NODE_PASSWORD + ": \"" + join.nodePassword() + "\"\n";
    }
}

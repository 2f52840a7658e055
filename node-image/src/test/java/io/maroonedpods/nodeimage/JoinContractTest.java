package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Taint;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeIdentity;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.nodeimage.support.BootScript;
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
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String UID = "5d2f8b8e-3c41-4f6a-9b0e-7a1c2d3e4f50";

    @TempDir
    Path dir;

    static Stream<JoinInfo> joins() {
        return Stream.of(
                new JoinInfo("https://10.43.0.1:443", "K10abc::server:contract-token", UID,
                        Names.DEFAULT_TAINT_KEY, Names.nodeName(UID)),
                new JoinInfo("https://k3s.example.internal:6443", "K10abc::server:contract-token", UID,
                        "isolation.example.com", Names.nodeName(UID)),
                new JoinInfo("https://10.43.0.1:443", "K10abc::server:contract-token", "",
                        Names.DEFAULT_TAINT_KEY, Names.POOL_NODE_PREFIX + "x7k2q"));
    }

    @ParameterizedTest
    @MethodSource("joins")
    void theNodeRegistersWithExactlyTheIdentityTheControlPlaneExpects(JoinInfo join) throws IOException {
        String writtenByCloudInit = Userdata.joinInfoFile(Userdata.render(join));
        BootScript vm = new BootScript(dir).writeJoinInfo(writtenByCloudInit);

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode config = YAML.readTree(vm.k3sConfigText());
        assertThat(config.path("server").asText()).isEqualTo(join.serverUrl());
        assertThat(config.path("node-name").asText()).isEqualTo(join.nodeName());
        if (!join.isPoolNode()) {
            assertThat(config.path("node-name").asText()).isEqualTo(Names.nodeName(join.podUid()));
        }
        assertThat(config.path("node-ip").asText()).isEqualTo(BootScript.GUEST_IP);
        assertThat(labels(config)).isEqualTo(NodeIdentity.selfLabels(join));
        assertThat(taints(config)).containsExactly(NodeIdentity.registrationTaint(join));
        assertThat(Files.readString(Path.of(config.path("token-file").asText()))).isEqualTo(join.token());
    }

    /** The script accepts exactly what the api accepts: an invalid join info is refused on both sides. */
    @Test
    void theScriptAndTheApiAgreeOnWhatIsValid() {
        List<JoinInfo> cases = List.of(
                joins().findFirst().orElseThrow(),
                new JoinInfo("http://10.43.0.1", "t", UID, "maroonedpods.io", Names.nodeName(UID)),
                new JoinInfo("https://10.43.0.1", " ", UID, "maroonedpods.io", Names.nodeName(UID)),
                new JoinInfo("https://10.43.0.1", "t", UID.toUpperCase(), "maroonedpods.io", Names.nodeName(UID)),
                new JoinInfo("https://10.43.0.1", "t", UID, "-maroonedpods.io", Names.nodeName(UID)),
                new JoinInfo("https://10.43.0.1", "t", UID, "maroonedpods.io", "x".repeat(64)),
                new JoinInfo("https://10.43.0.1", "t", "", "maroonedpods.io", "maroon-pool-a"));
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
                + ": \"" + join.taintKey() + "\"\n" + JoinInfo.NODE_NAME + ": \"" + join.nodeName() + "\"\n";
    }

    /** k3s's {@code node-label} list ({@code key=value}) as a map. */
    private static Map<String, String> labels(JsonNode config) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (JsonNode item : config.path("node-label")) {
            String[] kv = item.asText().split("=", 2);
            labels.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return labels;
    }

    /** k3s's {@code node-taint} list ({@code key=value:Effect}) as Kubernetes taints. */
    private static List<Taint> taints(JsonNode config) {
        return Stream.of(config.path("node-taint")).flatMap(node -> {
            Stream.Builder<Taint> out = Stream.builder();
            node.forEach(item -> {
                String text = item.asText();
                int colon = text.lastIndexOf(':');
                String[] kv = text.substring(0, colon).split("=", 2);
                out.add(new Taint(text.substring(colon + 1), kv[0], null, kv.length > 1 ? kv[1] : null));
            });
            return out.build();
        }).toList();
    }
}

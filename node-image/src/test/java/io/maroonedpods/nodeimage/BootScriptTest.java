package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** marooned-node-boot.sh run by bash with stubbed {@code ip} and {@code systemctl}, as systemd runs it in the VM. */
class BootScriptTest {
    static final String UID = "7c3a1e52-9d4b-4f1e-8a6c-2b5d0e9f4a13";
    static final String TOKEN = "K10f00dfeed::server:s3cr3t-join-token";
    static final String SECRET_PART = "s3cr3t-join-token";
    static final String NODE_PASSWORD = "4f1e8a6c2b5d0e9f7c3a1e529d4b4f1e";

    @TempDir
    Path dir;

    BootScript vm;

    @BeforeEach
    void setUp() {
        vm = new BootScript(dir);
    }

    static String joinInfo(String serverUrl, String token, String podUid, String taintKey, String nodeName) {
        return "# Written by MaroonedPods cloud-init; read by marooned-node-boot.sh\n"
                + "server_url: \"" + serverUrl + "\"\n" + "token: \"" + token + "\"\n" + "pod_uid: \"" + podUid + "\"\n"
                + "taint_key: \"" + taintKey + "\"\n" + "node_name: \"" + nodeName + "\"\n"
                + "node_password: \"" + NODE_PASSWORD + "\"\n";
    }

    static String dedicated() {
        return joinInfo("https://k3s.example.internal:6443", TOKEN, UID, "maroonedpods.io", "maroon-" + UID);
    }

    @Test
    void rendersTheK3sAgentConfigOfADedicatedNode() throws IOException {
        Shell.Result result = vm.writeJoinInfo(dedicated()).run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(vm.k3sConfigText()).isEqualTo(vm.golden("dedicated-node.yaml"));
        assertThat(Files.readString(vm.tokenFile)).isEqualTo(TOKEN);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(vm.tokenFile)))
                .isEqualTo("rw-------");
        assertThat(result.stdout()).contains("node maroon-" + UID, "pod UID " + UID, "node-ip " + BootScript.GUEST_IP);
    }

    @Test
    void rendersAPoolNodeWhenThePodUidIsEmpty() {
        vm.writeJoinInfo(joinInfo("https://10.43.0.1:443", TOKEN, "", "isolation.example.com", "maroon-pool-x7k2q"));

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(vm.k3sConfigText()).isEqualTo(vm.golden("pool-node.yaml"));
        assertThat(result.stdout()).contains("warm-pool node");
    }

    @Test
    void readsUnquotedAndSingleQuotedValuesLikeTheApiParser() {
        vm.writeJoinInfo("server_url: https://k3s.example.internal:6443\ntoken: '" + TOKEN + "'\npod_uid: " + UID
                + "\ntaint_key: maroonedpods.io\r\nnode_name:   \"maroon-" + UID + "\"   \nunknown_key: ignored\n"
                + "node_password: " + NODE_PASSWORD);

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(vm.k3sConfigText()).isEqualTo(vm.golden("dedicated-node.yaml"));
    }

    @Test
    void aSecondBootChangesNothing() throws IOException {
        vm.writeJoinInfo(dedicated());
        assertThat(vm.run().exitCode()).isZero();
        FileTime past = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(vm.k3sConfig, past);
        Files.setLastModifiedTime(vm.tokenFile, past);
        Object configInode = Files.readAttributes(vm.k3sConfig, "unix:ino").get("ino");
        String config = vm.k3sConfigText();

        Shell.Result second = vm.run();

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.stdout())
                .contains("): unchanged; token file: unchanged")
                .doesNotContain(": changed");
        assertThat(vm.k3sConfigText()).isEqualTo(config);
        assertThat(Files.getLastModifiedTime(vm.k3sConfig)).isEqualTo(past);
        assertThat(Files.getLastModifiedTime(vm.tokenFile)).isEqualTo(past);
        assertThat(Files.readAttributes(vm.k3sConfig, "unix:ino").get("ino")).isEqualTo(configInode);
        try (Stream<Path> files = Files.list(vm.k3sConfig.getParent())) {
            assertThat(files).as("no temporary files left behind").hasSize(1);
        }
    }

    @Test
    void aNewAddressAfterRebootRewritesTheConfig() {
        vm.writeJoinInfo(dedicated());
        assertThat(vm.run().exitCode()).isZero();

        Shell.Result result = vm.guestHasDefaultRoute("10.244.9.9").run();

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("node-ip 10.244.9.9", "): changed; token file: unchanged");
        assertThat(vm.k3sConfigText()).contains("node-ip: \"10.244.9.9\"");
    }

    @Test
    void fallsBackToTheFirstGlobalAddressWithoutADefaultRoute() {
        vm.writeJoinInfo(dedicated())
                .guestHasOnlyAddresses(
                        "2: eth0    inet 10.244.3.4/24 brd 10.244.3.255 scope global dynamic eth0\\       valid_lft 86313sec\n");

        Shell.Result result = vm.run();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(vm.k3sConfigText()).contains("node-ip: \"10.244.3.4\"");
    }

    @Test
    void waitsForJoinInfoThatCloudInitWritesLater() throws Exception {
        CompletableFuture<Void> cloudInit = CompletableFuture.runAsync(() -> {
            sleepSeconds(2);
            vm.writeJoinInfo(dedicated());
        });

        Shell.Result result = vm.run(Map.of("MAROONED_WAIT_SECONDS", "30"));

        cloudInit.get(10, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("waiting up to 30s for " + vm.joinInfo);
        assertThat(vm.k3sConfigText()).isEqualTo(vm.golden("dedicated-node.yaml"));
    }

    @Test
    void givesUpAfterTheBoundedWaitWhenNoJoinInfoArrives() {
        Shell.Result result = vm.run(Map.of("MAROONED_WAIT_SECONDS", "2"));

        assertThat(result.exitCode()).isEqualTo(10);
        assertThat(result.stderr()).contains("no readable join info at " + vm.joinInfo + " after 2s");
        assertThat(vm.k3sConfig).doesNotExist();
    }

    static Stream<Arguments> invalidJoinInfo() {
        String url = "https://k3s.example.internal:6443";
        String node = "maroon-" + UID;
        String tk = "maroonedpods.io";
        return Stream.of(
                Arguments.of(
                        "server_url missing",
                        joinInfo(url, TOKEN, UID, tk, node).replaceFirst("server_url.*\n", ""),
                        11,
                        "server_url: must be an https:// URL with a host, got ''"),
                Arguments.of(
                        "server_url http",
                        joinInfo("http://k3s:6443", TOKEN, UID, tk, node),
                        11,
                        "server_url: must be an https:// URL with a host, got 'http://k3s:6443'"),
                Arguments.of(
                        "server_url without host",
                        joinInfo("https://", TOKEN, UID, tk, node),
                        11,
                        "server_url: must be an https:// URL"),
                Arguments.of(
                        "server_url with a quote",
                        joinInfo("https://k3s\"x", TOKEN, UID, tk, node),
                        11,
                        "server_url: must be an https:// URL"),
                Arguments.of(
                        "token missing",
                        joinInfo(url, TOKEN, UID, tk, node).replaceFirst("token.*\n", ""),
                        12,
                        "token: missing"),
                Arguments.of("token blank", joinInfo(url, "  ", UID, tk, node), 12, "token: missing"),
                Arguments.of(
                        "token with a backslash",
                        joinInfo(url, TOKEN + "\\", UID, tk, node),
                        12,
                        "token: must not contain quotes or backslashes"),
                Arguments.of(
                        "pod_uid upper case",
                        joinInfo(url, TOKEN, UID.toUpperCase(), tk, node),
                        13,
                        "pod_uid: must be a pod UID (lower-case UUID) or empty for a pool node, got '"
                                + UID.toUpperCase() + "'"),
                Arguments.of(
                        "pod_uid not a uuid",
                        joinInfo(url, TOKEN, "my-pod", tk, node),
                        13,
                        "pod_uid: must be a pod UID"),
                Arguments.of(
                        "taint_key missing",
                        joinInfo(url, TOKEN, UID, tk, node).replaceFirst("taint_key.*\n", ""),
                        14,
                        "taint_key: must be a DNS subdomain such as maroonedpods.io, got ''"),
                Arguments.of(
                        "taint_key upper case",
                        joinInfo(url, TOKEN, UID, "MaroonedPods.io", node),
                        14,
                        "taint_key: must be a DNS subdomain"),
                Arguments.of(
                        "taint_key with a slash",
                        joinInfo(url, TOKEN, UID, "maroonedpods.io/x", node),
                        14,
                        "taint_key: must be a DNS subdomain"),
                Arguments.of(
                        "node_name missing",
                        joinInfo(url, TOKEN, UID, tk, node).replaceFirst("node_name.*\n", ""),
                        15,
                        "node_name: must be a DNS label of at most 63 characters, got ''"),
                Arguments.of(
                        "node_name too long",
                        joinInfo(url, TOKEN, UID, tk, "m".repeat(64)),
                        15,
                        "node_name: must be a DNS label"),
                Arguments.of(
                        "node_name with a dot",
                        joinInfo(url, TOKEN, UID, tk, "maroon.x"),
                        15,
                        "node_name: must be a DNS label"));
    }

    @ParameterizedTest(name = "{0} -> exit {2}")
    @MethodSource("invalidJoinInfo")
    void refusesInvalidJoinInfoNamingTheFieldAndWritesNothing(
            String what, String content, int exitCode, String message) {
        Shell.Result result = vm.writeJoinInfo(content).run();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(exitCode);
        assertThat(result.stderr()).contains(vm.joinInfo + ": " + message);
        assertThat(result.output()).doesNotContain(SECRET_PART);
        assertThat(vm.k3sConfig).doesNotExist();
        assertThat(vm.tokenFile).doesNotExist();
    }

    @Test
    void reportsEveryProblemAndExitsWithTheFirstOnesCode() {
        Shell.Result result =
                vm.writeJoinInfo(joinInfo("ftp://x", "", "nope", "A_B", "-x")).run();

        assertThat(result.exitCode()).isEqualTo(11);
        assertThat(result.stderr()).contains("server_url:", "token: missing", "pod_uid:", "taint_key:", "node_name:");
    }

    @Test
    void failsWhenTheGuestHasNoAddress() {
        Shell.Result result =
                vm.writeJoinInfo(dedicated()).guestHasOnlyAddresses("").run();

        assertThat(result.exitCode()).isEqualTo(16);
        assertThat(result.stderr()).contains("the guest has no IPv4 address after 0s");
        assertThat(vm.k3sConfig).doesNotExist();
    }

    @Test
    void failsWithItsOwnCodeWhenTheConfigCannotBeWritten() throws IOException {
        Path notADirectory = dir.resolve("occupied");
        Files.writeString(notADirectory, "a file where the config directory should be");

        Shell.Result result = vm.writeJoinInfo(dedicated())
                .run(Map.of(
                        "MAROONED_K3S_CONFIG",
                        notADirectory.resolve("50-marooned.yaml").toString()));

        assertThat(result.exitCode()).isEqualTo(17);
        assertThat(result.stderr()).contains("cannot write the k3s config");
        assertThat(result.output()).doesNotContain(SECRET_PART);
    }

    @Test
    void neverPrintsTheTokenNorStartsAnything() {
        vm.writeJoinInfo(dedicated());
        Shell.Result first = vm.run();
        Shell.Result second = vm.run();

        assertThat(first.exitCode()).isZero();
        assertThat(first.output() + second.output()).doesNotContain(SECRET_PART).doesNotContain("K10f00dfeed");
        assertThat(vm.k3sConfigText()).doesNotContain(SECRET_PART);
        assertThat(vm.systemctlCalls)
                .as("the boot script must not call systemctl (k3s-agent starts after it)")
                .doesNotExist();
    }

    private static void sleepSeconds(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

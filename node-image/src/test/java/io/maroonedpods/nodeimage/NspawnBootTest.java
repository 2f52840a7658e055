package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.NodeIdentity;
import io.maroonedpods.api.Userdata;
import io.maroonedpods.nodeimage.support.BootOrder;
import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.K3sAgentConfig;
import io.maroonedpods.nodeimage.support.NetworkManagerConf;
import io.maroonedpods.nodeimage.support.NodeImage;
import io.maroonedpods.nodeimage.support.NspawnMachine;
import io.maroonedpods.nodeimage.support.Shell;
import io.maroonedpods.nodeimage.support.UnitState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's units and boot script, booted for real: a Debian root (systemd 252, cloud-init 22.4) under
 * {@code systemd-nspawn --boot}, with the node image's files and its Containerfile's enabling step, the provisioner's
 * own user data ({@link Userdata#render}) as the NoCloud seed, and a stub k3s that records what it was started with.
 * The machine boots twice (a reboot); a third machine boots with the boot unit ordered before cloud-final, to show the
 * order check catches it. Needs root, mmdebstrap and systemd-nspawn; skipped, saying so, elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NspawnBootTest {
    static final String UID = UUID.randomUUID().toString();
    /** A bootstrap-token-shaped secret, random per run so that finding it anywhere means it leaked. */
    static final String TOKEN = hex(3) + "." + hex(8);
    /** The VM's node password, random per run for the same reason. */
    static final String PASSWORD = hex(16);

    static final String NODE_PASSWORD_FILE = "/etc/rancher/node/password";
    static final String KUBELET_CLIENT_CERT = "/var/lib/rancher/k3s/agent/client-kubelet.crt";
    static final JoinInfo JOIN =
            new JoinInfo("https://10.43.0.1:443", TOKEN, UID, Names.DEFAULT_TAINT_KEY, Names.nodeName(UID), PASSWORD);
    /** The join info as the user data carries it (base64): what a copy of the user data holds. */
    static final String ENCODED_JOIN_INFO = Userdata.render(JOIN)
            .lines()
            .map(String::strip)
            .filter(line -> line.startsWith("content: "))
            .map(line -> line.substring("content: ".length()))
            .findFirst()
            .orElseThrow();

    @TempDir
    static Path dir;

    String skipped;
    NspawnMachine node;
    Shell.Result firstConsole;
    Map<String, UnitState> firstBoot;
    FileState configAfterFirstBoot;
    FileState tokenAfterFirstBoot;
    FileState joinInfoAfterFirstBoot;
    FileState passwordAfterFirstBoot;
    Shell.Result secondConsole;

    @BeforeAll
    void bootTheNodeTwice() {
        skipped = NspawnMachine.missingPrerequisite().orElse(null);
        if (skipped != null) {
            return;
        }
        try {
            node = NspawnMachine.create(dir.resolve("node"), Map.of());
        } catch (NspawnMachine.Unavailable e) {
            skipped = e.getMessage();
            return;
        }
        node.seed(Userdata.render(JOIN), JOIN.nodeName());

        firstConsole = node.boot();
        firstBoot = node.unitsOfBoot(0);
        configAfterFirstBoot = FileState.of(node.path("/etc/rancher/k3s/config.yaml.d/50-marooned.yaml"));
        tokenAfterFirstBoot = FileState.of(node.path("/etc/rancher/k3s/marooned-token"));
        joinInfoAfterFirstBoot = FileState.of(node.path(Names.JOIN_INFO_PATH));
        passwordAfterFirstBoot = FileState.of(node.path(NODE_PASSWORD_FILE));
        secondConsole = node.boot();
    }

    /** Each test is reported skipped with the reason, so the build's summary names it. */
    @BeforeEach
    void skipWhereNspawnCannotBoot() {
        assumeTrue(skipped == null, () -> "NspawnBootTest skipped: " + skipped + "; the node's units were not booted");
    }

    @AfterAll
    void removeTheNetwork() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void cloudFinalThenTheBootUnitThenK3sAgent() {
        assertThat(firstBoot)
                .as("units recorded by the probe; console:%n%s", firstConsole.output())
                .containsKeys(BootOrder.CLOUD_FINAL, BootOrder.BOOT, BootOrder.K3S);
        assertThat(BootOrder.violations(firstBoot))
                .as("order of the first boot: %s", firstBoot)
                .isEmpty();
        assertThat(node.journal()).doesNotContain("ordering cycle", "Job for " + BootOrder.K3S + " failed");
    }

    @Test
    void k3sStartsWithExactlyTheIdentityTheControlPlaneExpects() throws IOException {
        Path recorded = node.path("/var/lib/stub-k3s/run-0");
        K3sAgentConfig config = K3sAgentConfig.parse(Files.readString(recorded.resolve("50-marooned.yaml")));

        assertThat(Files.readString(recorded.resolve("argv.json"))).isEqualTo("[\"agent\"]");
        assertThat(config.server()).isEqualTo(JOIN.serverUrl());
        assertThat(config.nodeName()).isEqualTo(JOIN.nodeName());
        assertThat(config.nodeIp()).isEqualTo(BootScript.GUEST_IP);
        assertThat(config.labels()).isEqualTo(NodeIdentity.selfLabels(JOIN));
        assertThat(config.taints()).containsExactly(NodeIdentity.registrationTaint(JOIN));
        assertThat(Files.readString(node.path(config.tokenFile()))).isEqualTo(JOIN.token());
        assertThat(passwordAfterFirstBoot.content())
                .as("where the k3s agent reads its node password")
                .isEqualTo(PASSWORD + "\n");
        assertThat(Files.readString(recorded.resolve("config.yaml")))
                .isEqualTo(BootScript.read(NodeImage.ROOTFS.resolve("etc/rancher/k3s/config.yaml")));
    }

    @Test
    void theJoinInfoTheTokenFileAndTheNodePasswordAreReadableByRootOnly() {
        assertThat(joinInfoAfterFirstBoot.permissions()).isEqualTo("rw-------");
        assertThat(tokenAfterFirstBoot.permissions()).isEqualTo("rw-------");
        assertThat(passwordAfterFirstBoot.permissions()).isEqualTo("rw-------");
        assertThat(List.of(joinInfoAfterFirstBoot.owner(), tokenAfterFirstBoot.owner(), passwordAfterFirstBoot.owner()))
                .containsOnly("root");
        assertThat(configAfterFirstBoot.permissions()).isEqualTo("rw-r--r--");
    }

    @Test
    void theTokenAndTheNodePasswordAppearNeitherInTheJournalNorOnTheConsole() {
        assertThat(node.journal())
                .contains("marooned-node-boot: k3s agent config for node " + JOIN.nodeName())
                .doesNotContain(TOKEN, PASSWORD);
        assertThat(firstConsole.output() + secondConsole.output()).doesNotContain(TOKEN, PASSWORD);
    }

    @Test
    void aRebootKeepsTheOrderAndRewritesNothing() throws IOException {
        Map<String, UnitState> secondBoot = node.unitsOfBoot(1);

        assertThat(BootOrder.violations(secondBoot))
                .as("order of the reboot: %s", secondBoot)
                .isEmpty();
        assertThat(FileState.of(node.path("/etc/rancher/k3s/config.yaml.d/50-marooned.yaml")))
                .isEqualTo(configAfterFirstBoot);
        assertThat(FileState.of(node.path("/etc/rancher/k3s/marooned-token"))).isEqualTo(tokenAfterFirstBoot);
        assertThat(FileState.of(node.path(NODE_PASSWORD_FILE))).isEqualTo(passwordAfterFirstBoot);
        assertThat(FileState.of(node.path(Names.JOIN_INFO_PATH)))
                .as("cloud-init writes the join info once per instance")
                .isEqualTo(joinInfoAfterFirstBoot);
        assertThat(Files.readString(node.path("/var/lib/stub-k3s/run-1/50-marooned.yaml")))
                .isEqualTo(Files.readString(node.path("/var/lib/stub-k3s/run-0/50-marooned.yaml")));
        assertThat(node.journal())
                .contains("k3s agent config for node " + JOIN.nodeName() + " (pod UID " + UID
                        + ", node-ip " + BootScript.GUEST_IP + ", server " + JOIN.serverUrl()
                        + "): unchanged; token file:"
                        + " unchanged; node password: unchanged");
    }

    @Test
    void networkManagerInTheImageLeavesTheClusterInterfacesAlone() {
        Shell.Result printed = node.run("NetworkManager", "--print-config");

        assertThat(printed.exitCode()).as(printed.output()).isZero();
        NetworkManagerConf effective = NetworkManagerConf.parse(printed.stdout());
        assertThat(NetworkManagerConfTest.CNI_INTERFACES)
                .allSatisfy(
                        name -> assertThat(effective.leavesAlone(name)).as(name).isTrue());
        assertThat(effective.leavesAlone("eth0")).isFalse();
    }

    /**
     * A node that joins (the stub k3s writes the kubelet's client certificate, as the supervisor issues it once it
     * accepted the VM's token and password): the path unit removes the join info and cloud-init's copies of the user
     * data, keeps what k3s-agent reads at every start, and after a reboot the agent starts again with the same config.
     * Before the certificate exists (the first machine, which never joins) nothing is removed.
     */
    @Test
    void onceTheKubeletHoldsItsCertificateTheJoinCredentialsGoAndARebootStillStartsTheAgent() throws IOException {
        assertThat(node.path(Names.JOIN_INFO_PATH))
                .as("never joined: nothing removed")
                .exists();
        assertThat(filesHolding(node, "/var/lib/cloud/instances", ENCODED_JOIN_INFO))
                .as("never joined: cloud-init's copies stay")
                .isNotEmpty();
        try (NspawnMachine joined = NspawnMachine.create(dir.resolve("joined"), Map.of())) {
            joined.seed(Userdata.render(JOIN), JOIN.nodeName());
            Files.createDirectories(joined.path("/etc/stub-k3s"));
            Files.writeString(joined.path("/etc/stub-k3s/joins"), "");

            Shell.Result first = joined.boot();
            UnitState cleanup = joined.unitsOfBoot(0).get("marooned-join-cleanup.service");
            assertThat(cleanup).as("console:%n%s", first.output()).isNotNull();
            assertThat(cleanup.result()).as("console:%n%s", first.output()).isEqualTo("success");
            assertThat(joined.path(KUBELET_CLIENT_CERT)).exists();
            assertThat(joined.path(Names.JOIN_INFO_PATH)).doesNotExist();
            assertThat(Files.readString(joined.path(NODE_PASSWORD_FILE)))
                    .as("sent with every certificate request")
                    .isEqualTo(PASSWORD + "\n");
            assertThat(Files.readString(joined.path("/etc/rancher/k3s/marooned-token")))
                    .as("parsed at every start for its CA hash")
                    .isEqualTo(TOKEN);
            assertThat(joined.journal()).contains("marooned-join-cleanup: joined (kubelet client certificate present)");
            assertThat(filesHolding(joined, "/var/lib/cloud/instances", ENCODED_JOIN_INFO))
                    .as("cloud-init's copies")
                    .isEmpty();
            assertThat(filesHolding(joined, "/var/lib/boot-probe/run-cloud-init-0", ENCODED_JOIN_INFO))
                    .as("/run/cloud-init while the node ran")
                    .isEmpty();

            Shell.Result second = joined.boot();
            Map<String, UnitState> reboot = joined.unitsOfBoot(1);
            assertThat(BootOrder.violations(reboot))
                    .as("console:%n%s", second.output())
                    .isEmpty();
            assertThat(reboot.get(BootOrder.BOOT).ranSuccessfully())
                    .as("console:%n%s", second.output())
                    .isTrue();
            assertThat(Files.readString(joined.path("/var/lib/stub-k3s/run-1/50-marooned.yaml")))
                    .isEqualTo(Files.readString(joined.path("/var/lib/stub-k3s/run-0/50-marooned.yaml")));
            assertThat(joined.journal()).contains("node joined before (the join info was removed after joining)");
            assertThat(joined.path(Names.JOIN_INFO_PATH))
                    .as("cloud-init writes it once per instance")
                    .doesNotExist();
            assertThat(filesHolding(joined, "/var/lib/cloud/instances", ENCODED_JOIN_INFO))
                    .as("after the reboot")
                    .isEmpty();
            assertThat(joined.path("/var/lib/boot-probe/run-cloud-init-1"))
                    .as("the probe saw /run/cloud-init")
                    .isDirectory();
            assertThat(filesHolding(joined, "/var/lib/boot-probe/run-cloud-init-1", ENCODED_JOIN_INFO))
                    .isEmpty();
            assertThat(joined.journal() + first.output() + second.output()).doesNotContain(TOKEN, PASSWORD);
        }
    }

    /** Negative control: the same boot with the boot unit ordered before cloud-final fails the order check. */
    @Test
    void aBootUnitOrderedBeforeCloudFinalIsCaught() {
        String unit = "usr/lib/systemd/system/" + BootOrder.BOOT;
        try (NspawnMachine early = NspawnMachine.create(
                dir.resolve("early"),
                Map.of(
                        unit,
                        text -> text.replace(
                                "After=network-online.target cloud-init.target cloud-final.service multi-user.target",
                                "After=network-online.target multi-user.target\nBefore=cloud-final.service")))) {
            early.seed(Userdata.render(JOIN), JOIN.nodeName());
            Shell.Result console = early.boot();

            assertThat(BootOrder.violations(early.unitsOfBoot(0)))
                    .as("console:%n%s", console.output())
                    .singleElement()
                    .asString()
                    .startsWith(BootOrder.BOOT + " started at")
                    .contains("before " + BootOrder.CLOUD_FINAL + " finished");
        }
    }

    /** The files under {@code inMachine} whose content holds {@code secret}. */
    private static List<String> filesHolding(NspawnMachine machine, String inMachine, String secret)
            throws IOException {
        Path top = machine.path(inMachine);
        if (!Files.isDirectory(top)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(top)) {
            return files.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
                    .filter(file -> contains(file, secret))
                    .map(file -> top.relativize(file).toString())
                    .toList();
        }
    }

    private static boolean contains(Path file, String secret) {
        try {
            return new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Content, permissions, owner, inode and modification time: what a rewrite would change. */
    record FileState(String content, String permissions, String owner, Object inode, long modifiedMillis) {
        static FileState of(Path file) {
            try {
                PosixFileAttributes attributes =
                        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return new FileState(
                        Files.readString(file),
                        PosixFilePermissions.toString(attributes.permissions()),
                        attributes.owner().getName(),
                        attributes.fileKey(),
                        attributes.lastModifiedTime().toMillis());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}

package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.Containerfile;
import io.maroonedpods.nodeimage.support.Containerfile.Copy;
import io.maroonedpods.nodeimage.support.NodeImage;
import io.maroonedpods.nodeimage.support.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node OS image's Containerfile: pinned, verified, complete, and its k3s step failing loudly when it should. */
class ContainerfileTest {
    static final Containerfile OS = Containerfile.load(NodeImage.CONTAINERFILE);

    @TempDir
    Path dir;

    @Test
    void buildsOnCentosStream9Bootc() {
        assertThat(OS.all("FROM"))
                .extracting(Containerfile.Instruction::arguments)
                .containsExactly("quay.io/centos-bootc/centos-bootc:stream9");
        assertThat(OS.all("LABEL"))
                .extracting(Containerfile.Instruction::arguments)
                .contains("containers.bootc 1");
        assertThat(OS.last()).isEqualTo(new Containerfile.Instruction("RUN", "bootc container lint"));
    }

    @Test
    void everyCopySourceExistsInTheBuildContext() {
        assertThat(OS.copies()).isNotEmpty();
        for (Copy copy : OS.copies()) {
            for (String source : copy.sources()) {
                assertThat(NodeImage.DIR.resolve(source))
                        .as("COPY source %s", source)
                        .exists();
            }
        }
    }

    @Test
    void versionsArePinned() {
        Map<String, String> args = OS.argDefaults();

        assertThat(args.get("K3S_VERSION")).matches("v\\d+\\.\\d+\\.\\d+\\+k3s\\d+");
        assertThat(args.get("K3S_SHA256")).matches("[0-9a-f]{64}");
        assertThat(args.get("K3S_SELINUX_VERSION")).matches("\\d+\\.\\d+-\\d+\\.el9");
        assertThat(OS.run("dnf -y install")).contains("\"k3s-selinux-${K3S_SELINUX_VERSION}\"");
        assertThat(OS.instructions()).noneMatch(i -> i.arguments().matches("(?s).*:latest\\b.*"));
        assertThat(BootScript.read(NodeImage.DIR.resolve("rpm/rancher-k3s-common.repo")))
                .contains("gpgcheck=1");
    }

    @Test
    void installsWhatANodeNeedsAndNoInstallScript() {
        assertThat(OS.run("dnf -y install").split("\\s+"))
                .contains(
                        "cloud-init",
                        "qemu-guest-agent",
                        "iptables-nft",
                        "iproute",
                        "socat",
                        "conntrack-tools",
                        "container-selinux");
        assertThat(OS.instructions())
                .noneMatch(i -> i.arguments().contains("get.k3s.io")
                        || i.arguments().contains("INSTALL_K3S")
                        || i.arguments().matches("(?s).*\\|\\s*(ba)?sh\\b.*"));
        String k3s = OS.run("sha256sum -c");
        assertThat(k3s.indexOf("curl")).isLessThan(k3s.indexOf("sha256sum -c"));
        assertThat(k3s.indexOf("sha256sum -c")).isLessThan(k3s.indexOf("install -m 0755 /tmp/k3s /usr/bin/k3s"));
        assertThat(k3s).contains("${K3S_SHA256}");
    }

    @Test
    void enablesTheBootUnitAndK3sAgentWhichTheImageShipsAndNoAutomaticUpdates() {
        String enable = OS.run("systemctl enable");

        assertThat(enable).contains("systemctl enable marooned-node-boot.service k3s-agent.service");
        assertThat(OS.copies())
                .anySatisfy(copy -> assertThat(copy).isEqualTo(new Copy(List.of(), List.of("rootfs/"), "/")));
        assertThat(NodeImage.BOOT_UNIT).exists();
        assertThat(NodeImage.K3S_UNIT).exists();
        assertThat(enable).contains("../cloud-init.target /usr/lib/systemd/system/multi-user.target.wants/");
        assertThat(enable)
                .as("no in-place update may reboot a pod's node")
                .contains("systemctl mask bootc-fetch-apply-updates.timer");
    }

    @Test
    void theK3sStepInstallsTheBinaryOnlyWhenItsChecksumMatches() throws Exception {
        byte[] binary = "pretend k3s binary".getBytes();
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));

        Shell.Result ok = runK3sStep(binary, "v1.34.3+k3s1", sha);

        assertThat(ok.exitCode()).as(ok.output()).isZero();
        assertThat(Files.readString(dir.resolve("calls")))
                .contains(
                        "curl -fsSL --retry 3 -o " + dir.resolve("k3s")
                                + " https://github.com/k3s-io/k3s/releases/download/v1.34.3%2Bk3s1/k3s",
                        "install -m 0755 " + dir.resolve("k3s") + " /usr/bin/k3s",
                        "ln -s k3s /usr/bin/crictl");
    }

    @Test
    void theK3sStepFailsLoudlyOnAChecksumMismatch() throws Exception {
        Shell.Result result = runK3sStep("tampered".getBytes(), "v1.29.0+k3s1", "0".repeat(64));

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("the k3s v1.29.0+k3s1 binary does not match K3S_SHA256=" + "0".repeat(64));
        assertThat(Files.readString(dir.resolve("calls"))).doesNotContain("install -m");
    }

    @Test
    void theK3sStepFailsLoudlyWithoutAChecksum() throws Exception {
        Shell.Result result = runK3sStep("x".getBytes(), "v1.29.0+k3s1", "");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("K3S_SHA256 is empty");
        assertThat(dir.resolve("calls")).doesNotExist();
    }

    @Test
    void makeRefusesAnotherK3sVersionWithoutItsChecksum() {
        assumeTrue(Shell.onPath("make"), "make is not installed: Makefile checks skipped");
        Shell.Result refused = make("build-node-image", "K3S_VERSION=v1.35.0+k3s1");
        Shell.Result overridden = make(
                "build-node-image",
                "K3S_VERSION=v1.35.0+k3s1",
                "K3S_SHA256=" + "a".repeat(64),
                "IMAGE=registry.example/node",
                "TAG=v1");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.stderr()).contains("K3S_VERSION=v1.35.0+k3s1 needs K3S_SHA256=");
        assertThat(overridden.stdout())
                .contains(
                        "--build-arg K3S_VERSION=v1.35.0+k3s1",
                        "--build-arg K3S_SHA256=" + "a".repeat(64),
                        "-t registry.example/node:v1");
        assertThat(make("push-node-image", "TAG=v1").stdout())
                .contains(
                        "podman push quay.io/maroonedpods/marooned-node:v1",
                        "podman push quay.io/maroonedpods/marooned-node-disk:v1");
    }

    /** The k3s pin has one home, the Containerfile: make builds with exactly its version and checksum by default. */
    @Test
    void makeBuildsWithTheContainerfilesK3sPinByDefault() {
        assumeTrue(Shell.onPath("make"), "make is not installed: Makefile checks skipped");
        Map<String, String> args = OS.argDefaults();

        Shell.Result defaults = make("build-node-image");

        assertThat(defaults.exitCode()).as(defaults.output()).isZero();
        assertThat(defaults.stdout())
                .contains(
                        "--build-arg K3S_VERSION=" + args.get("K3S_VERSION"),
                        "--build-arg K3S_SHA256=" + args.get("K3S_SHA256"),
                        "-f Containerfile");
    }

    /** Both images get a version tag, the one the api's default nodeImage names; never latest. */
    @Test
    void makeTagsBothImagesWithTheVersionTheApiDefaultsTo() {
        assumeTrue(Shell.onPath("make"), "make is not installed: Makefile checks skipped");
        String defaultImage = EffectiveConfig.DEFAULT_NODE_IMAGE;

        Shell.Result containerDisk = make("build-containerdisk");

        assertThat(defaultImage).doesNotEndWith(":latest");
        assertThat(containerDisk.stdout())
                .contains(
                        "./scripts/build-containerdisk.sh " + defaultImage.replace("-disk:", ":") + " " + defaultImage);
    }

    @Test
    void makeHandsItsPodmanToEveryStepIncludingTheContainerDiskScript() {
        assumeTrue(Shell.onPath("make"), "make is not installed: Makefile checks skipped");

        String out =
                make("build-containerdisk", "push-node-image", "PODMAN=docker").stdout();

        assertThat(out)
                .contains("docker build", "PODMAN=docker ./scripts/build-containerdisk.sh ", "docker push")
                .doesNotContain("podman");
    }

    private Shell.Result make(String... args) {
        List<String> command = new ArrayList<>(List.of("make", "-n", "-C", NodeImage.DIR.toString()));
        command.addAll(List.of(args));
        return Shell.run(command, Map.of(), dir, Duration.ofSeconds(30));
    }

    /**
     * Runs the Containerfile's k3s RUN command with sh, as the build would, with curl, uname, install and ln stubbed
     * (the download is {@code binary}; nothing is installed on this machine) and /tmp/k3s moved into the test dir.
     */
    private Shell.Result runK3sStep(byte[] binary, String version, String sha256) throws IOException {
        Path stubs = dir.resolve("stubs");
        Path download = dir.resolve("k3s");
        Path calls = dir.resolve("calls");
        Files.write(dir.resolve("binary"), binary);
        String record = "echo \"$(basename \"$0\") $*\" >> " + calls;
        Shell.stub(stubs, "curl", record + "\ncp " + dir.resolve("binary") + " \"${5}\"");
        Shell.stub(stubs, "uname", "echo x86_64");
        Shell.stub(stubs, "install", record);
        Shell.stub(stubs, "ln", record);
        String step = OS.run("sha256sum -c").replace("/tmp/k3s", download.toString());
        Map<String, String> env = Shell.pathWithStubs(stubs);
        env.put("K3S_VERSION", version);
        env.put("K3S_SHA256", sha256);
        return Shell.run(List.of("sh", "-c", step), env, dir, Duration.ofSeconds(30));
    }
}

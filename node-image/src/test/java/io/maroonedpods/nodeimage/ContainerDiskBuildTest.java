package io.maroonedpods.nodeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.nodeimage.support.BootScript;
import io.maroonedpods.nodeimage.support.Containerfile;
import io.maroonedpods.nodeimage.support.Containerfile.Copy;
import io.maroonedpods.nodeimage.support.NodeImage;
import io.maroonedpods.nodeimage.support.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/build-containerdisk.sh and harvest-kernel-args.sh run by bash with podman and guestfish stubbed: the stubs
 * play bootc-image-builder (a qcow2 appears), the OS image (its /usr/lib/modules) and the disk's /boot partition
 * (boot entries from test resources). What cannot run here is the real builder, podman and libguestfs: README.md.
 */
class ContainerDiskBuildTest {
    static final String KVER = "5.14.0-620.el9.x86_64";
    static final String OS_IMAGE = "registry.example/marooned-node:v1";
    static final String DISK_IMAGE = "registry.example/marooned-node-disk:v1";
    static final Path ENTRIES = NodeImage.DIR.resolve("src/test/resources/boot-entries");

    @TempDir
    Path dir;

    Path stubs;
    Path work;
    Path calls;

    @BeforeEach
    void stubTools() {
        stubs = dir.resolve("stubs");
        work = dir.resolve("out");
        calls = dir.resolve("calls");
        String record = "echo \"$(basename \"$0\") $*\" >> " + calls;
        Shell.stub(stubs, "podman", record + """

                case "$1" in
                  run)
                    if [[ "$*" == *"--type qcow2"* ]]; then
                      for arg in "$@"; do [[ $arg == *:/output ]] && out=${arg%:/output}; done
                      mkdir -p "$out/qcow2" && printf 'QFI fake disk' > "$out/qcow2/disk.qcow2"
                    elif [[ "$*" == *"ls "*" /usr/lib/modules"* ]]; then
                      cat "$KERNELS"
                    else
                      echo "podman stub: unexpected run $*" >&2; exit 99
                    fi ;;
                  create) echo c0ffee ;;
                  cp) printf 'from %s' "${2#*:}" > "$3" ;;
                  rm) ;;
                  build) (cd "${@: -1}" && find . -type f | sort) > "$BUILD_CONTEXT" ;;
                  *) echo "podman stub: unexpected $*" >&2; exit 99 ;;
                esac""");
        Shell.stub(stubs, "guestfish", record + """

                args="$*"
                case "$args" in
                  *"findfs-label boot"*) echo /dev/sda3 ;;
                  *"ls /loader/entries"*) ls "$ENTRIES" ;;
                  *"cat /loader/entries/"*) cat "$ENTRIES/${args##*/loader/entries/}" ;;
                  *) echo "guestfish stub: unexpected $*" >&2; exit 99 ;;
                esac""");
    }

    Shell.Result build(String entries, String... kernels) throws IOException {
        return build(Map.of(), entries, kernels);
    }

    Shell.Result build(Map<String, String> extraEnv, String entries, String... kernels) throws IOException {
        Files.writeString(dir.resolve("kernels"), String.join("\n", kernels) + "\n");
        Map<String, String> env = Shell.pathWithStubs(stubs);
        env.putAll(extraEnv);
        env.put("WORK_DIR", work.toString());
        env.put("KERNELS", dir.resolve("kernels").toString());
        env.put("ENTRIES", ENTRIES.resolve(entries).toString());
        env.put("BUILD_CONTEXT", dir.resolve("build-context").toString());
        return Shell.run(
                List.of("bash", NodeImage.BUILD_CONTAINERDISK.toString(), OS_IMAGE, DISK_IMAGE),
                env,
                dir,
                Duration.ofSeconds(60));
    }

    @Test
    void packsTheDiskTheKernelAndTheHarvestedKernelArgumentsIntoTheContainerDisk() throws IOException {
        Shell.Result result = build("one", KVER);

        assertThat(result.exitCode()).as(result.output()).isZero();
        Path context = work.resolve("context");
        String options = BootScript.read(ENTRIES.resolve("one/ostree-1.conf"))
                .lines()
                .filter(l -> l.startsWith("options "))
                .findFirst()
                .orElseThrow()
                .substring("options ".length());
        assertThat(BootScript.read(context.resolve("boot/kernel-args")))
                .isEqualTo(options + "\n")
                .contains("ostree=/ostree/boot.1/default/", "root=UUID=", "console=ttyS0");
        assertThat(BootScript.read(context.resolve("boot/vmlinuz")))
                .isEqualTo("from /usr/lib/modules/" + KVER + "/vmlinuz");
        assertThat(BootScript.read(context.resolve("boot/initramfs.img")))
                .isEqualTo("from /usr/lib/modules/" + KVER + "/initramfs.img");
        assertThat(BootScript.read(context.resolve("disk.qcow2"))).startsWith("QFI");
        assertThat(result.stdout()).contains("kernelBootConfig.kernelArgs", options);

        String podman = Files.readString(calls);
        assertThat(podman)
                .containsPattern("podman run --rm --privileged .*-v " + work.resolve("bib") + ":/output .*"
                        + "quay\\.io/centos-bootc/bootc-image-builder:sha256-[0-9a-f]{64} --type qcow2 --rootfs xfs "
                        + OS_IMAGE);
        assertThat(podman)
                .contains(
                        "podman build -f " + NodeImage.CONTAINERFILE_DISK + " -t " + DISK_IMAGE + " " + context,
                        "podman rm -f c0ffee");
    }

    /** The Makefile's PODMAN (docker, a wrapper, a remote podman) runs every container step; podman is never called. */
    @Test
    void everyContainerStepUsesTheEngineNamedInPodman() throws IOException {
        Files.copy(stubs.resolve("podman"), stubs.resolve("engine"));
        Shell.stub(stubs, "podman", "echo \"podman called although PODMAN=engine: $*\" >&2\nexit 97");

        Shell.Result result = build(Map.of("PODMAN", "engine"), "one", KVER);

        assertThat(result.exitCode()).as(result.output()).isZero();
        List<String> calls = Files.readAllLines(this.calls).stream()
                .filter(c -> !c.startsWith("guestfish "))
                .toList();
        assertThat(calls).isNotEmpty().allSatisfy(call -> assertThat(call).startsWith("engine "));
        assertThat(calls)
                .anySatisfy(call -> assertThat(call).startsWith("engine run --rm --privileged"))
                .anySatisfy(call -> assertThat(call).startsWith("engine build -f "))
                .anySatisfy(call -> assertThat(call).startsWith("engine rm -f c0ffee"));
    }

    @Test
    void everyContainerDiskCopySourceIsProducedAndOwnedByQemu() throws IOException {
        assertThat(build("one", KVER).exitCode()).isZero();
        List<String> context = Files.readAllLines(dir.resolve("build-context"));
        Containerfile disk = Containerfile.load(NodeImage.CONTAINERFILE_DISK);

        assertThat(disk.all("FROM"))
                .extracting(Containerfile.Instruction::arguments)
                .containsExactly("scratch");
        assertThat(disk.copies())
                .extracting(Copy::destination)
                .contains("/disk/disk.qcow2", "/boot/vmlinuz", "/boot/initramfs.img", "/boot/kernel-args");
        for (Copy copy : disk.copies()) {
            assertThat(copy.options()).containsExactly("--chown=107:107");
            copy.sources()
                    .forEach(source -> assertThat(context).as("build context").contains("./" + source));
        }
    }

    @Test
    void theDefaultKernelBootPathsAreTheOnesTheApiDefaultsTo() {
        var defaults = EffectiveConfig.DEFAULT_KERNEL_BOOT;
        List<String> destinations = Containerfile.load(NodeImage.CONTAINERFILE_DISK).copies().stream()
                .map(Copy::destination)
                .toList();

        assertThat(destinations).contains(defaults.kernelPath(), defaults.initrdPath());
    }

    @Test
    void refusesAnImageWithMoreThanOneKernel() throws IOException {
        Shell.Result result = build("one", KVER, "5.14.0-611.el9.x86_64");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("expected exactly one kernel in " + OS_IMAGE);
        assertThat(Files.readString(calls)).doesNotContain("podman build");
    }

    @Test
    void refusesADiskWhoseBootEntryBootsAnotherKernel() throws IOException {
        Shell.Result result = build("one", "5.14.0-611.el9.x86_64");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("not the image's kernel 5.14.0-611.el9.x86_64");
        assertThat(Files.readString(calls)).doesNotContain("podman build");
    }

    @Test
    void harvestRefusesADiskWithoutOstreeArgument() throws IOException {
        Shell.Result result = harvest("no-ostree");

        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.stderr()).contains("has no ostree= argument");
    }

    @Test
    void harvestRefusesADiskWithSeveralBootEntries() throws IOException {
        Shell.Result result = harvest("two");

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stderr()).contains("expected exactly one boot entry", "found 2");
    }

    @Test
    void harvestPrintsTheOptionsOfTheOneEntry() throws IOException {
        Shell.Result result = harvest("one");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout())
                .startsWith("root=UUID=4f0c8a62")
                .contains(" ostree=/ostree/boot.1/")
                .endsWith("/0\n");
        assertThat(Files.readString(calls)).contains("guestfish --ro -a ");
    }

    private Shell.Result harvest(String entries) throws IOException {
        Path disk = Files.writeString(dir.resolve("disk.qcow2"), "QFI");
        Map<String, String> env = Shell.pathWithStubs(stubs);
        env.put("ENTRIES", ENTRIES.resolve(entries).toString());
        return Shell.run(
                List.of("bash", NodeImage.HARVEST_KERNEL_ARGS.toString(), disk.toString(), KVER),
                env,
                dir,
                Duration.ofSeconds(30));
    }
}

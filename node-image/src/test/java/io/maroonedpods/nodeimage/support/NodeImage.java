package io.maroonedpods.nodeimage.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the node image's files are, relative to this module (Maven runs tests in the module directory). */
public final class NodeImage {
    private NodeImage() {}

    public static final Path DIR = Path.of("").toAbsolutePath();
    public static final Path ROOTFS = DIR.resolve("rootfs");
    public static final Path BOOT_SCRIPT = ROOTFS.resolve("usr/libexec/marooned/marooned-node-boot.sh");
    public static final Path CLEANUP_SCRIPT = ROOTFS.resolve("usr/libexec/marooned/marooned-join-cleanup.sh");
    public static final Path UNIT_DIR = ROOTFS.resolve("usr/lib/systemd/system");
    public static final Path BOOT_UNIT = UNIT_DIR.resolve("marooned-node-boot.service");
    public static final Path K3S_UNIT = UNIT_DIR.resolve("k3s-agent.service");
    public static final Path K3S_DROP_IN = UNIT_DIR.resolve("k3s-agent.service.d/10-marooned.conf");
    public static final Path CLEANUP_PATH_UNIT = UNIT_DIR.resolve("marooned-join-cleanup.path");
    public static final Path CLEANUP_SERVICE_UNIT = UNIT_DIR.resolve("marooned-join-cleanup.service");
    public static final Path CONTAINERFILE = DIR.resolve("Containerfile");
    public static final Path CONTAINERFILE_DISK = DIR.resolve("Containerfile.disk");
    public static final Path BUILD_CONTAINERDISK = DIR.resolve("scripts/build-containerdisk.sh");
    public static final Path HARVEST_KERNEL_ARGS = DIR.resolve("scripts/harvest-kernel-args.sh");

    /** The repository root: the nearest parent holding the root pom and the Maven wrapper. */
    public static Path repoRoot() {
        for (Path dir = DIR; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no repository root above " + DIR);
    }
}

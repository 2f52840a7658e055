package io.maroonedpods.nodeimage.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The systemd units of a booted node: ours (from rootfs/, optionally edited for a negative control), cloud-init's in
 * one of its historical shapes, and the links that enable them, as the image has them after its Containerfile ran.
 */
public final class NodeUnits {
    public static final List<String> CLOUD_INIT_VARIANTS =
            List.of("target-orders-nothing", "target-after-multi-user", "final-after-multi-user");
    public static final String BOOT = "marooned-node-boot.service";
    public static final String K3S = "k3s-agent.service";
    public static final String DROP_IN = "k3s-agent.service.d/10-marooned.conf";
    public static final String CLEANUP_PATH = "marooned-join-cleanup.path";
    public static final String CLEANUP = "marooned-join-cleanup.service";
    private static final Path FIXTURES = NodeImage.DIR.resolve("src/test/resources/systemd");
    private static final List<String> CLOUD_INIT_STAGES =
            List.of("cloud-init-local.service", "cloud-init.service", "cloud-config.service", "cloud-final.service");

    private final Map<String, String> ours;

    private NodeUnits(Map<String, String> ours) {
        this.ours = ours;
    }

    /** The units as committed. */
    public static NodeUnits asShipped() {
        return edited(UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** The units with the boot unit's and the drop-in's text edited (to show a check can fail). */
    public static NodeUnits edited(UnaryOperator<String> bootUnit, UnaryOperator<String> dropIn) {
        Map<String, String> ours = new LinkedHashMap<>();
        ours.put(BOOT, bootUnit.apply(BootScript.read(NodeImage.BOOT_UNIT)));
        ours.put(K3S, BootScript.read(NodeImage.K3S_UNIT));
        ours.put(DROP_IN, dropIn.apply(BootScript.read(NodeImage.K3S_DROP_IN)));
        ours.put(CLEANUP_PATH, BootScript.read(NodeImage.CLEANUP_PATH_UNIT));
        ours.put(CLEANUP, BootScript.read(NodeImage.CLEANUP_SERVICE_UNIT));
        return new NodeUnits(ours);
    }

    public UnitFile boot() {
        return UnitFile.parse(BOOT, ours.get(BOOT));
    }

    public UnitFile k3sAgent() {
        return UnitFile.parse(K3S, ours.get(K3S), ours.get(DROP_IN));
    }

    /** The ordering model of a boot with this cloud-init variant. */
    public Ordering ordering(String variant) {
        Ordering ordering = new Ordering().add(boot()).add(k3sAgent());
        for (Path file : fixtureUnits(variant)) {
            ordering.add(UnitFile.load(file));
        }
        CLOUD_INIT_STAGES.forEach(ordering::enable);
        return ordering.enable(BOOT).enable(K3S).link("multi-user.target", "cloud-init.target");
    }

    /**
     * A root for {@code systemd-analyze --root}: the machine's own units, cloud-init's variant, ours, the enable links,
     * and stub executables for the commands our units run.
     */
    public Path systemdRoot(Path root, String variant) {
        try {
            Path units = root.resolve("usr/lib/systemd/system");
            Files.createDirectories(units);
            try (Stream<Path> host = Files.list(Path.of("/usr/lib/systemd/system"))) {
                for (Path file : host.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, units.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (Path file : cloudInitUnits(variant)) {
                Files.copy(file, units.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            for (Map.Entry<String, String> unit : ours.entrySet()) {
                write(units.resolve(unit.getKey()), unit.getValue(), "rw-r--r--");
            }
            link(units, "multi-user.target", BOOT);
            link(units, "multi-user.target", K3S);
            link(units, "multi-user.target", CLEANUP_PATH);
            link(units, "multi-user.target", "cloud-init.target");
            CLOUD_INIT_STAGES.forEach(stage -> link(units, "cloud-init.target", stage));
            for (String executable : List.of(
                    "usr/libexec/marooned/marooned-node-boot.sh",
                    "usr/libexec/marooned/marooned-join-cleanup.sh",
                    "usr/bin/k3s",
                    "usr/sbin/modprobe")) {
                write(root.resolve(executable), "#!/bin/sh\n", "rwxr-xr-x");
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Base targets, cloud-init's common stages and the variant's target and final stage. */
    private static List<Path> fixtureUnits(String variant) {
        return Stream.concat(list(FIXTURES.resolve("base")), cloudInitUnits(variant).stream())
                .toList();
    }

    private static List<Path> cloudInitUnits(String variant) {
        return Stream.concat(
                        list(FIXTURES.resolve("cloud-init/common")),
                        list(FIXTURES.resolve("cloud-init").resolve(variant)))
                .toList();
    }

    private static Stream<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void link(Path units, String target, String unit) {
        try {
            Path wants = units.resolve(target + ".wants");
            Files.createDirectories(wants);
            Files.deleteIfExists(wants.resolve(unit));
            Files.createSymbolicLink(wants.resolve(unit), Path.of("..", unit));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text, String permissions) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    }
}

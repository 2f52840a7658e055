package io.maroonedpods.nodeimage.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A Debian machine booted with {@code systemd-nspawn --boot}: real systemd and real cloud-init, with the node image's
 * files and enabling step, a NoCloud seed, a stub {@code k3s} and a probe that records the units and powers off.
 * Its network is a namespace of its own whose only address is {@link BootScript#GUEST_IP}, standing in for the VMI's.
 *
 * <p>The Debian root is built once with mmdebstrap and cached as a tarball outside the repository
 * ({@code $MAROONEDPODS_NSPAWN_CACHE}, default {@code ~/.cache/maroonedpods-nspawn}), named after the suite and package
 * list, so a changed list builds a new one.
 */
public final class NspawnMachine implements AutoCloseable {
    public static final String SUITE = "bookworm";
    /** systemd as init, cloud-init, ip for the boot script, NetworkManager to read the image's configuration. */
    public static final List<String> PACKAGES = List.of("systemd-sysv", "cloud-init", "iproute2", "network-manager");

    static final List<String> TOOLS = List.of("mmdebstrap", "systemd-nspawn", "ip", "tar", "timeout", "journalctl");
    static final Duration BOOT_TIMEOUT = Duration.ofSeconds(180);
    static final Path RESOURCES = NodeImage.DIR.resolve("src/test/resources/nspawn");

    private final String name;
    private final Path root;

    private NspawnMachine(String name, Path root) {
        this.name = name;
        this.root = root;
    }

    /** Why this machine cannot boot a container, or empty when it can. */
    public static Optional<String> missingPrerequisite() {
        Shell.Result id = Shell.run(List.of("id", "-u"), Map.of(), Path.of("/"), Duration.ofSeconds(10));
        if (!id.stdout().strip().equals("0")) {
            return Optional.of("not running as root");
        }
        List<String> missing =
                TOOLS.stream().filter(tool -> !Shell.onPath(tool)).toList();
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of(
                        "missing " + String.join(", ", missing) + " (apt-get install mmdebstrap systemd-container)");
    }

    /** The cached Debian root tarball, built first when it is not there (about a minute). */
    public static synchronized Path cachedRootfs() {
        String home = System.getProperty("user.home");
        Path cache = Path.of(
                System.getenv().getOrDefault("MAROONEDPODS_NSPAWN_CACHE", home + "/.cache/maroonedpods-nspawn"));
        Path tarball = cache.resolve(
                "debian-" + SUITE + "-" + sha256(SUITE + " minbase " + PACKAGES).substring(0, 16) + ".tar");
        if (Files.isRegularFile(tarball)) {
            return tarball;
        }
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempFile(cache, "building-", ".tar");
            Shell.Result built = Shell.run(
                    List.of(
                            "mmdebstrap",
                            "--quiet",
                            "--variant=minbase",
                            "--include=" + String.join(",", PACKAGES),
                            SUITE,
                            partial.toString()),
                    Map.of(),
                    cache,
                    Duration.ofMinutes(10));
            if (built.exitCode() != 0) {
                Files.deleteIfExists(partial);
                throw new IllegalStateException("mmdebstrap failed (" + built.exitCode() + "): " + built.output());
            }
            Files.move(partial, tarball, StandardCopyOption.ATOMIC_MOVE);
            return tarball;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Unpacks the cached root into {@code dir}, adds the node image's files and runs the Containerfile's enabling step
     * in it, then the stub k3s, the probe and the network namespace. {@code imageEdit} may change an image file
     * (path relative to node-image/rootfs) to show that a check fails.
     *
     * @throws Unavailable when systemd-nspawn cannot run a container on this host
     */
    public static NspawnMachine create(Path dir, Map<String, UnaryOperator<String>> imageEdits) {
        String name = "mpb" + UUID.randomUUID().toString().substring(0, 8);
        Path root = dir.resolve("root");
        NspawnMachine machine = new NspawnMachine(name, root);
        try {
            Files.createDirectories(root);
            machine.must(List.of("tar", "-xf", cachedRootfs().toString(), "-C", root.toString()));
            Shell.Result canRun = Shell.run(machine.nspawn(List.of("/bin/true")), Map.of(), dir, Duration.ofMinutes(1));
            if (canRun.exitCode() != 0) {
                throw new Unavailable("systemd-nspawn cannot run a container here: "
                        + canRun.output().strip());
            }
            machine.must(List.of("cp", "-a", NodeImage.ROOTFS + "/.", root + "/"));
            for (Map.Entry<String, UnaryOperator<String>> edit : imageEdits.entrySet()) {
                Path file = root.resolve(edit.getKey());
                Files.writeString(file, edit.getValue().apply(Files.readString(file)));
            }
            String enable = Containerfile.load(NodeImage.CONTAINERFILE).run("systemctl enable");
            machine.must(machine.nspawn(List.of("/bin/sh", "-c", enable)));
            machine.install("k3s", "usr/bin/k3s");
            machine.install("boot-probe", "usr/local/sbin/boot-probe");
            machine.install("boot-probe.service", "etc/systemd/system/boot-probe.service");
            // The probe is test-only; NetworkManager stays out of the boots so it cannot touch the namespace's address.
            machine.must(machine.nspawn(List.of("systemctl", "enable", "boot-probe.service")));
            machine.must(machine.nspawn(
                    List.of("systemctl", "mask", "NetworkManager.service", "NetworkManager-wait-online.service")));
            Files.createDirectories(root.resolve("var/log/journal"));
            machine.createNetwork();
            return machine;
        } catch (IOException | RuntimeException e) {
            machine.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** This host cannot run containers (a kernel or sandbox without the namespaces nspawn needs). */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The NoCloud seed cloud-init finds at boot, as KubeVirt's cloudInitNoCloud disk provides it. */
    public void seed(String userdata, String instanceId) {
        Path seed = root.resolve("var/lib/cloud/seed/nocloud");
        try {
            Files.createDirectories(seed);
            Files.writeString(seed.resolve("user-data"), userdata);
            Files.writeString(
                    seed.resolve("meta-data"), "instance-id: " + instanceId + "\nlocal-hostname: " + instanceId + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Boots the machine until the probe powers it off (or the timeout ends it); returns the console. */
    public Shell.Result boot() {
        return Shell.run(
                List.of(
                        "timeout",
                        "--kill-after=10",
                        String.valueOf(BOOT_TIMEOUT.toSeconds()),
                        "systemd-nspawn",
                        "--quiet",
                        "--boot",
                        "--directory=" + root,
                        "--machine=" + name,
                        "--register=no",
                        "--keep-unit",
                        "--network-namespace-path=/run/netns/" + name,
                        "--console=pipe"),
                Map.of("SYSTEMD_LOG_COLOR", "0"),
                root.getParent(),
                BOOT_TIMEOUT.plusSeconds(30));
    }

    /** The units as the probe recorded them during boot number {@code boot} (0 for the first). */
    public Map<String, UnitState> unitsOfBoot(int boot) {
        Path records = root.resolve("var/lib/boot-probe/boot-" + boot);
        Map<String, UnitState> units = new LinkedHashMap<>();
        if (Files.isDirectory(records)) {
            try (var files = Files.list(records)) {
                for (Path file : files.sorted().toList()) {
                    units.put(file.getFileName().toString(), UnitState.parse(Files.readString(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return units;
    }

    /** Every field of every journal entry of every boot, as text. */
    public String journal() {
        return must(List.of(
                        "journalctl",
                        "--directory=" + root.resolve("var/log/journal"),
                        "--output=export",
                        "--no-pager"))
                .stdout();
    }

    /** Runs a command in the machine's root without booting it (no network). */
    public Shell.Result run(String... command) {
        List<String> nspawn = nspawn(List.of(command));
        return Shell.run(nspawn, Map.of("SYSTEMD_LOG_COLOR", "0"), root.getParent(), Duration.ofMinutes(1));
    }

    public Path path(String inMachine) {
        return root.resolve(inMachine.replaceFirst("^/", ""));
    }

    @Override
    public void close() {
        Shell.run(List.of("ip", "netns", "del", name), Map.of(), Path.of("/"), Duration.ofSeconds(30));
    }

    private List<String> nspawn(List<String> command) {
        List<String> nspawn = new ArrayList<>(List.of(
                "systemd-nspawn",
                "--quiet",
                "--directory=" + root,
                "--register=no",
                "--keep-unit",
                "--private-network"));
        nspawn.addAll(command);
        return nspawn;
    }

    private void createNetwork() {
        must(List.of("ip", "netns", "add", name));
        must(List.of("ip", "link", "add", name, "type", "veth", "peer", "name", "eth0", "netns", name));
        must(List.of("ip", "-n", name, "address", "add", BootScript.GUEST_IP + "/24", "dev", "eth0"));
        must(List.of("ip", "-n", name, "link", "set", "eth0", "up"));
        must(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        must(List.of("ip", "-n", name, "route", "add", "default", "via", "10.244.1.1", "dev", "eth0"));
    }

    private void install(String resource, String inMachine) throws IOException {
        Path target = path(inMachine);
        Files.createDirectories(target.getParent());
        Files.copy(RESOURCES.resolve(resource), target, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(
                target,
                java.nio.file.attribute.PosixFilePermissions.fromString(
                        resource.endsWith(".service") ? "rw-r--r--" : "rwxr-xr-x"));
    }

    private Shell.Result must(List<String> command) {
        Shell.Result result = Shell.run(command, Map.of("SYSTEMD_LOG_COLOR", "0"), Path.of("/"), Duration.ofMinutes(2));
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed (" + result.exitCode() + "): " + result.output());
        }
        return result;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

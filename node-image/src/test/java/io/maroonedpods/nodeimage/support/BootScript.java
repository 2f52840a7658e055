package io.maroonedpods.nodeimage.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One VM's worth of files for marooned-node-boot.sh: a join info file, the k3s config and token paths, and stub
 * {@code ip} / {@code systemctl} commands first on PATH. The script runs with bash exactly as systemd would run it,
 * with its paths redirected into a temporary directory.
 */
public final class BootScript {
    public static final String GUEST_IP = "10.244.1.17";

    private final Path dir;
    private final Path stubs;
    public final Path joinInfo;
    public final Path k3sConfig;
    public final Path tokenFile;
    /** Where the k3s agent reads its node password (/etc/rancher/node/password in the VM). */
    public final Path nodePasswordFile;
    /** The kubelet's client certificate, which the k3s agent holds once it has joined. */
    public final Path kubeletClientCert;
    /** cloud-init's state directory (/var/lib/cloud in the VM). */
    public final Path cloudDir;
    /** Every systemctl call the script made (the stub appends its arguments here). */
    public final Path systemctlCalls;

    private final Path route;
    private final Path addresses;
    private final Path links;

    public BootScript(Path dir) {
        this.dir = dir;
        this.stubs = dir.resolve("stubs");
        this.joinInfo = dir.resolve("etc/marooned/join-info.yaml");
        this.k3sConfig = dir.resolve("etc/rancher/k3s/config.yaml.d/50-marooned.yaml");
        this.tokenFile = dir.resolve("etc/rancher/k3s/marooned-token");
        this.nodePasswordFile = dir.resolve("etc/rancher/node/password");
        this.kubeletClientCert = dir.resolve("var/lib/rancher/k3s/agent/client-kubelet.crt");
        this.cloudDir = dir.resolve("var/lib/cloud");
        this.systemctlCalls = dir.resolve("systemctl-calls");
        this.route = dir.resolve("ip-route");
        this.addresses = dir.resolve("ip-addr");
        this.links = dir.resolve("ip-link");
        Shell.stub(stubs, "ip", """
                case "$*" in
                  "-4 route get "*) [[ -f %1$s ]] || { echo "RTNETLINK answers: Network is unreachable" >&2; exit 2; }; cat %1$s ;;
                  "-o -4 addr show scope global") [[ ! -f %2$s ]] || cat %2$s ;;
                  "-o link show") [[ ! -f %3$s ]] || cat %3$s ;;
                  "-o -4 addr show dev "*" scope global") [[ ! -f %2$s-$6 ]] || cat %2$s-$6 ;;
                  *) echo "ip stub: unexpected arguments: $*" >&2; exit 99 ;;
                esac""".formatted(route, addresses, links));
        Shell.stub(stubs, "systemctl", "echo \"$*\" >> " + systemctlCalls + "\nexit 1");
        guestHasDefaultRoute(GUEST_IP);
    }

    public BootScript writeJoinInfo(String content) {
        write(joinInfo, content);
        return this;
    }

    public BootScript guestHasDefaultRoute(String ip) {
        write(route, "1.1.1.1 via 10.244.1.1 dev eth0 src " + ip + " uid 0\n    cache\n");
        return this;
    }

    /** No default route; {@code ip -4 addr} lists these lines (none when empty). */
    public BootScript guestHasOnlyAddresses(String addrLines) {
        try {
            Files.deleteIfExists(route);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        write(addresses, addrLines);
        return this;
    }

    /**
     * The guest has a NIC {@code name} with this MAC and MTU ({@code ip -o link} lists it after the loopback), and
     * the IPv4 address {@code cidr} on it, or none when {@code cidr} is null.
     */
    public BootScript guestHasNic(String name, String mac, int mtu, String cidr) {
        String existing = Files.exists(links)
                ? read(links)
                : "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default"
                        + " qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n";
        int index = (int) existing.lines().count() + 1;
        write(
                links,
                existing + index + ": " + name + ": <BROADCAST,MULTICAST,UP,LOWER_UP> mtu " + mtu
                        + " qdisc fq_codel state UP mode DEFAULT group default qlen 1000\\    link/ether " + mac
                        + " brd ff:ff:ff:ff:ff:ff\n");
        if (cidr != null) {
            write(
                    addresses.resolveSibling(addresses.getFileName() + "-" + name),
                    index + ": " + name + "    inet "
                            + cidr + " brd 192.168.50.255 scope global dynamic noprefixroute " + name
                            + "\\       valid_lft 86313sec preferred_lft 86313sec\n");
        }
        return this;
    }

    public Shell.Result run() {
        return run(Map.of());
    }

    public Shell.Result run(Map<String, String> extraEnv) {
        return run(NodeImage.BOOT_SCRIPT, extraEnv);
    }

    /** marooned-join-cleanup.sh, as marooned-join-cleanup.service runs it, with the same paths. */
    public Shell.Result runCleanup() {
        return run(NodeImage.CLEANUP_SCRIPT, Map.of());
    }

    /** The kubelet got its client certificate: the agent has joined. */
    public BootScript agentJoined() {
        write(kubeletClientCert, "-----BEGIN CERTIFICATE-----\nMIIB...\n-----END CERTIFICATE-----\n");
        return this;
    }

    /** cloud-init's own copies of the user data, as it keeps them per instance (and links the current one). */
    public BootScript cloudInitKeptTheUserdata(String userdata) {
        write(cloudDir.resolve("instances/iid-maroon/user-data.txt"), userdata);
        write(cloudDir.resolve("instances/iid-maroon/user-data.txt.i"), userdata);
        write(cloudDir.resolve("instances/iid-maroon/cloud-config.txt"), userdata);
        write(cloudDir.resolve("instances/iid-maroon/obj.pkl"), userdata);
        return this;
    }

    private Shell.Result run(Path script, Map<String, String> extraEnv) {
        Map<String, String> env = Shell.pathWithStubs(stubs);
        env.put("MAROONED_JOIN_INFO", joinInfo.toString());
        env.put("MAROONED_K3S_CONFIG", k3sConfig.toString());
        env.put("MAROONED_TOKEN_FILE", tokenFile.toString());
        env.put("MAROONED_NODE_PASSWORD_FILE", nodePasswordFile.toString());
        env.put("MAROONED_KUBELET_CLIENT_CERT", kubeletClientCert.toString());
        env.put("MAROONED_CLOUD_DIR", cloudDir.toString());
        env.put("MAROONED_WAIT_SECONDS", "0");
        env.put("MAROONED_ADDRESS_WAIT_SECONDS", "0");
        env.putAll(extraEnv);
        return Shell.run(List.of("bash", script.toString()), env, dir, Duration.ofSeconds(60));
    }

    public String k3sConfigText() {
        return read(k3sConfig);
    }

    /** A golden file from test resources with this run's paths filled in. */
    public String golden(String resource) {
        try (var in = BootScript.class.getResourceAsStream("/golden/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no golden file " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@JOIN_INFO@", joinInfo.toString())
                    .replace("@TOKEN_FILE@", tokenFile.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

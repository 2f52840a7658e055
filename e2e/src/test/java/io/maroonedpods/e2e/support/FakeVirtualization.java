package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.k3s.ClusterCaHash;
import io.maroonedpods.kubevirt.KubeVirt;
import io.maroonedpods.testcluster.kubevirt.BootTimings;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import io.maroonedpods.testcluster.node.SimulatedNodeBoot;
import io.maroonedpods.testcluster.node.SimulatedSupervisor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the suite cannot run for real, played by the simulator's fakes against the real API server: KubeVirt (VMIs go
 * Pending → Scheduled → Running on one of the host nodes, with an address), each VM's guest (cloud-init reads the
 * userdata Secret; the k3s server checks the VM's bootstrap token, pinned to the hash of this control plane's CA, and
 * its node password against the node-password Secret, as k3s does — both with admin rights, as KubeVirt's controllers
 * and the k3s supervisor have them) and each VM's kubelet, which registers its Node and
 * reports Ready under its own {@code system:node:<name>} certificate. The hosts are ordinary worker nodes with
 * kubelets of their own.
 */
public final class FakeVirtualization implements AutoCloseable {
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(8, r -> {
        Thread t = new Thread(r, "fake-vms");
        t.setDaemon(true);
        return t;
    });
    private final ControlPlane plane;
    private final Map<String, Kubelet> kubelets = new ConcurrentHashMap<>();
    private final SimulatedKubeVirt kubevirt;
    private final SimulatedSupervisor supervisor;
    private final KubernetesClient admin;
    private final String vmNamespace;

    private FakeVirtualization(
            ControlPlane plane, String vmNamespace, String clusterToken, BootTimings timings, List<String> hosts) {
        this.plane = plane;
        this.vmNamespace = vmNamespace;
        for (int i = 0; i < hosts.size(); i++) {
            String host = hosts.get(i);
            kubelets.put(
                    host,
                    Kubelet.worker(
                            host,
                            "192.168.100." + (10 + i),
                            plane.nodeIdentity(host).client(),
                            timers));
        }
        this.admin = plane.adminClient();
        String caHash;
        try {
            caHash = ClusterCaHash.of(Files.readAllBytes(plane.caCert()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.supervisor = new SimulatedSupervisor(admin, caHash, clusterToken, Clock.systemUTC());
        SimulatedNodeBoot boot = new SimulatedNodeBoot(
                admin,
                this::kubeletOf,
                supervisor,
                timings.ready().minus(timings.registered()),
                timers,
                Clock.systemUTC());
        this.kubevirt = new SimulatedKubeVirt(admin, vmNamespace, timings, 0, 1, hosts, boot, timers).start();
    }

    public static FakeVirtualization start(
            ControlPlane plane, String vmNamespace, String clusterToken, BootTimings timings, List<String> hosts) {
        return new FakeVirtualization(plane, vmNamespace, clusterToken, timings, hosts);
    }

    /** The client of the node's kubelet, started when the VM's guest first needs it. */
    private KubernetesClient kubeletOf(String nodeName) {
        return kubelets.computeIfAbsent(
                        nodeName,
                        name -> Kubelet.start(name, plane.nodeIdentity(name).client(), timers))
                .client();
    }

    /**
     * The VM of node {@code name} is lost, as when its host fails: its kubelet stops and its VMI is gone (KubeVirt
     * deleting what it can no longer run).
     */
    public void lose(String name) {
        Kubelet kubelet = kubelets.remove(name);
        if (kubelet != null) {
            kubelet.close();
        }
        KubeVirt.vmis(admin, vmNamespace).withName(name).delete();
    }

    /** The k3s server's supervisor, to ask whether it would let an agent join. */
    public SimulatedSupervisor supervisor() {
        return supervisor;
    }

    /** Why guests could not join, one line each. */
    public List<String> bootProblems() {
        return kubevirt.bootProblems();
    }

    @Override
    public void close() {
        kubevirt.close();
        kubelets.values().forEach(Kubelet::close);
        timers.shutdownNow();
    }
}

package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.testcluster.GarbageCollector;
import io.maroonedpods.testcluster.kubevirt.BootTimings;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import io.maroonedpods.testcluster.node.SimulatedNodeBoot;
import io.maroonedpods.testcluster.node.SimulatedNodeLifecycle;
import io.maroonedpods.testcluster.node.SimulatedSupervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What runs the VMs in a flow test, all from test-cluster: KubeVirt (a VMI goes Running at once, or Failed), the
 * garbage collector (a VMI's userdata Secret goes with it), the node lifecycle controller (the not-ready taints), and
 * the guests, which boot when the test says so ({@link Guests}) and turn Ready only when it says so.
 */
final class SimulatedVms implements AutoCloseable {
    private static final Duration NEVER = Duration.ofDays(1);

    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "simulated-vms");
        t.setDaemon(true);
        return t;
    });
    private final GarbageCollector garbageCollector;
    private final SimulatedNodeLifecycle lifecycle;
    private final Guests guests;
    private SimulatedKubeVirt kubevirt;

    /** @param clusterToken the cluster's own agent token, which the k3s supervisor accepts too */
    SimulatedVms(KubernetesClient client, String namespace, String caHash, String clusterToken, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        SimulatedSupervisor supervisor = new SimulatedSupervisor(client, caHash, clusterToken, clock);
        this.guests = new Guests(
                client, namespace, clock, supervisor, new SimulatedNodeBoot(client, supervisor, NEVER, timers, clock));
        this.garbageCollector = new GarbageCollector(client, namespace);
        this.lifecycle = new SimulatedNodeLifecycle(client, timers, SimulatedNodeLifecycle.MONITOR_PERIOD);
        this.kubevirt = kubeVirt(0);
    }

    Guests guests() {
        return guests;
    }

    /** From now on every new VM fails to start (KubeVirt reports its VMI Failed). */
    void failFromNowOn() {
        kubevirt.close();
        kubevirt = kubeVirt(1);
    }

    private SimulatedKubeVirt kubeVirt(double failureRate) {
        return new SimulatedKubeVirt(
                        client,
                        namespace,
                        new BootTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                        failureRate,
                        1,
                        List.of("worker-1"),
                        null,
                        timers)
                .start();
    }

    @Override
    public void close() {
        kubevirt.close();
        lifecycle.close();
        garbageCollector.close();
        timers.shutdownNow();
    }
}

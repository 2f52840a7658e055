package io.maroonedpods.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.simulator.cli.Options;
import io.maroonedpods.testcluster.ApiServer;
import io.maroonedpods.testcluster.ClusterCa;
import io.maroonedpods.testcluster.ClusterCrds;
import io.maroonedpods.testcluster.ClusterSeed;
import io.maroonedpods.testcluster.FaultInjector;
import io.maroonedpods.testcluster.GarbageCollector;
import io.maroonedpods.testcluster.kubevirt.BootTimings;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import io.maroonedpods.testcluster.node.SimulatedNodeBoot;
import io.maroonedpods.testcluster.node.SimulatedNodeLifecycle;
import io.maroonedpods.testcluster.node.SimulatedSupervisor;
import io.maroonedpods.testcluster.store.StoreObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The simulated cluster of one run: the API server seeded as an installed cluster (CRDs, namespaces, the cluster's
 * own token Secret, the MaroonedPodsConfig, the workers), KubeVirt, the VMs' boot and the node lifecycle controller.
 * Closing it stops them in reverse order.
 */
final class SimulatedCluster implements AutoCloseable {
    private static final int SIMULATED_VM_THREADS = 16;

    private final Options options;
    private final EffectiveConfig config;
    private final String token;
    private final Clock clock;
    private final List<AutoCloseable> started = new ArrayList<>();
    private ApiServer api;
    private KubernetesClient client;
    private SimulatedKubeVirt kubevirt;
    private ScheduledExecutorService timers;

    private SimulatedCluster(Options options, EffectiveConfig config, String token, Clock clock) {
        this.options = options;
        this.config = config;
        this.token = token;
        this.clock = clock;
    }

    /** Starts it; {@code observers} see every change stored from the first one on. */
    static SimulatedCluster start(
            Options options,
            EffectiveConfig config,
            String token,
            FaultInjector faults,
            Clock clock,
            List<StoreObserver> observers) {
        SimulatedCluster cluster = new SimulatedCluster(options, config, token, clock);
        try {
            cluster.api = cluster.track(ApiServer.start(faults, clock));
            observers.forEach(cluster.api.front()::observe);
            cluster.client = cluster.track(cluster.api.simulatorClient());
            cluster.startVirtualization(cluster.seedCluster());
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    ApiServer api() {
        return api;
    }

    KubernetesClient client() {
        return client;
    }

    SimulatedKubeVirt kubevirt() {
        return kubevirt;
    }

    /** The simulated VMs' timers, for the run's own periodic disruptions. */
    ScheduledExecutorService timers() {
        return timers;
    }

    /** The CRDs, namespaces, the cluster's own token Secret, the config and the workers; returns the workers. */
    private List<String> seedCluster() {
        ClusterCrds.install(client);
        ClusterSeed.namespaces(config).forEach(ns -> client.resource(ns).create());
        // The cluster's own agent token, where an earlier install was told to put it: it must never reach a VM.
        client.resource(ClusterSeed.tokenSecret(EffectiveConfig.DEFAULT_TOKEN_SECRET, token))
                .create();
        MaroonedPodsConfig settings = new MaroonedPodsConfig();
        settings.getMetadata().setName(Names.CONFIG_NAME);
        settings.setSpec(ClusterSeed.configSpec());
        client.resource(settings).create();
        return ClusterSeed.workers(options.nodes()).stream()
                .map(n -> client.resource(n).create().getMetadata().getName())
                .toList();
    }

    /** KubeVirt, the VMs' boot, the node lifecycle controller and the garbage collector. */
    private void startVirtualization(List<String> workers) {
        // Each VM's steps are API round trips that block their thread: with a handful of threads a burst of boots
        // queues behind them.
        timers = Executors.newScheduledThreadPool(SIMULATED_VM_THREADS, r -> {
            Thread t = new Thread(r, "simulated-vms");
            t.setDaemon(true);
            return t;
        });
        track(timers::shutdownNow);
        BootTimings timings = BootTimings.ofBootSeconds(options.bootSeconds());
        SimulatedNodeBoot boot = new SimulatedNodeBoot(
                client,
                new SimulatedSupervisor(client, ClusterCa.hash(), token, clock),
                timings.ready().minus(timings.registered()),
                timers,
                clock);
        track(new SimulatedNodeLifecycle(client, timers, SimulatedNodeLifecycle.MONITOR_PERIOD));
        // kube-controller-manager's part: a userdata Secret goes with the VMI that owns it.
        track(new GarbageCollector(client, config.vmNamespace()));
        kubevirt = track(new SimulatedKubeVirt(
                        client,
                        config.vmNamespace(),
                        timings,
                        options.vmiFailureRate(),
                        options.seed(),
                        workers,
                        boot,
                        timers)
                .start());
    }

    private <T extends AutoCloseable> T track(T closeable) {
        started.add(closeable);
        return closeable;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // Closing is best effort: one part failing to stop must not keep the others running.
            }
        }
    }
}

package io.maroonedpods.simulator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.simulator.cli.Options;
import io.maroonedpods.simulator.report.GiveUps;
import io.maroonedpods.simulator.report.Isolation;
import io.maroonedpods.simulator.report.Summary;
import io.maroonedpods.simulator.report.Timeline;
import io.maroonedpods.simulator.report.TokenLogWatch;
import io.maroonedpods.simulator.report.TokenScan;
import io.maroonedpods.simulator.report.VmiLedger;
import io.maroonedpods.simulator.scheduler.SchedulerProfile;
import io.maroonedpods.simulator.scheduler.SchedulingRecord;
import io.maroonedpods.simulator.workload.Burst;
import io.maroonedpods.simulator.workload.Workload;
import io.maroonedpods.testcluster.ApiServer;
import io.maroonedpods.testcluster.ClusterSeed;
import io.maroonedpods.testcluster.FaultInjector;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One run: start the simulated cluster and the real components, create the pods, wait until the maroon pods are
 * bound, then (unless serving) delete every pod and check that nothing is left. Everything it starts is closed by
 * {@link #close()}, in reverse order.
 */
public final class Simulation implements AutoCloseable {
    /** How long the components get to clean up after the pods are deleted (their sweep runs every 10 s). */
    static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);
    /** How long ordinary pods get to be scheduled (the default-scheduler stand-in binds them at once). */
    private static final Duration ORDINARY_TIMEOUT = Duration.ofSeconds(15);

    private final Options options;
    private final PrintStream progressOut;
    private final long startNanos = System.nanoTime();
    private final Clock clock = Clock.systemUTC();
    private final EffectiveConfig config = EffectiveConfig.of(ClusterSeed.configSpec());
    private final List<AutoCloseable> started = new ArrayList<>();
    private final SchedulingRecord maroonRecord = new SchedulingRecord();
    private final Timeline timeline = new Timeline(this::elapsedMillis);
    private final VmiLedger ledger = new VmiLedger();
    private final GiveUps giveUps = new GiveUps();
    private SimulatedCluster cluster;
    private ApiServer api;
    private KubernetesClient client;
    private SimulatedKubeVirt kubevirt;
    private RealComponents components;
    private SchedulerProfile profile;
    private List<String> isolationAtBind = List.of();
    private int ordinaryBound;
    private WarmPool pool;
    private String token;
    private final List<String> disruptions = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger watchesDropped =
            new java.util.concurrent.atomic.AtomicInteger();
    private List<String> tokenLeaks = List.of();
    private TokenLogWatch logWatch;
    private Double heapAfterBurstMb;

    public Simulation(Options options, PrintStream progressOut) {
        this.options = options;
        this.progressOut = progressOut;
    }

    /** Starts everything and creates the pods; returns once the pods exist. */
    public Simulation start() {
        FaultInjector faults = new FaultInjector(options.apiFaultRate(), options.seed());
        token = ClusterSeed.agentToken(options.seed());
        logWatch = track(TokenLogWatch.start(token));
        cluster = track(
                SimulatedCluster.start(options, config, token, faults, clock, List.of(timeline, ledger, giveUps)));
        api = cluster.api();
        client = cluster.client();
        kubevirt = cluster.kubevirt();
        ScheduledExecutorService timers = cluster.timers();
        components = track(RealComponents.start(api, config, options.provisionerReplicas()));
        profile = track(SimulatedSchedulers.start(
                        client, components.extenderPort(), clock, options.seed(), maroonRecord))
                .maroonProfile();
        faults.enable();
        if (options.dropWatchesSeconds() > 0) {
            long every = Math.round(options.dropWatchesSeconds() * 1000);
            timers.scheduleAtFixedRate(
                    () -> watchesDropped.addAndGet(api.front().dropComponentWatches()),
                    every,
                    every,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        createWorkload();
        return this;
    }

    /** Ordinary pods first, the warm pool filled, the warm-up run, then the burst of maroon pods. */
    private void createWorkload() {
        for (int i = 1; i <= options.nodes(); i++) {
            client.resource(Workload.ordinaryPod(i)).create();
        }
        pool = new WarmPool(client, config.vmNamespace());
        if (options.warmPool() > 0) {
            pool.size(options.warmPool());
            waitFor(
                    () -> pool.available() >= options.warmPool(),
                    Duration.ofSeconds(options.timeoutSeconds()),
                    this::poolLine,
                    true);
        }
        if (options.warmupPods() > 0) {
            warmUp(options.warmupPods());
        }
        Burst.create(client, options.pods(), options.gated());
    }

    /**
     * {@code --warmup-pods}: the whole flow once (created, booted, verified, bound, deleted, torn down), then every
     * record of it forgotten, so that the measured burst meets components whose code paths are already compiled, as
     * they are after any time in a cluster. The warm-up counts for nothing in the summary.
     */
    private void warmUp(int pods) {
        Burst.create(client, pods, options.gated());
        Duration timeout = Duration.ofSeconds(options.timeoutSeconds());
        if (!waitFor(() -> timeline.boundCount() >= pods, timeout, () -> "[warm-up] " + line(), true)) {
            throw new IllegalStateException("the warm-up pods were not bound within --timeout");
        }
        client.pods().inNamespace(ClusterSeed.TENANT_NAMESPACE).list().getItems().stream()
                .filter(OptIn::isMaroon)
                .forEach(pod -> client.resource(pod).delete());
        ClusterInventory inventory = new ClusterInventory(client, config);
        if (!waitFor(
                () -> inventory.leftovers().isEmpty() && inventory.maroonPodCount() == 0, CLEANUP_TIMEOUT, false)) {
            throw new IllegalStateException("the warm-up pods were not torn down: " + inventory.leftovers());
        }
        if (ledger.duplicates() > 0) {
            throw new IllegalStateException("a VMI was duplicated during the warm-up");
        }
        timeline.forget();
        ledger.forget();
        giveUps.forget();
        maroonRecord.forget();
        api.front().forgetComponentRequests();
    }

    private String poolLine() {
        return ProgressLines.pool(elapsedMillis(), pool.available(), options.warmPool());
    }

    /** Waits, showing progress, until each maroon pod is bound or given up on, or the timeout; true when each is. */
    public boolean awaitBound() {
        boolean bound = waitFor(
                () -> {
                    disruptWhenHalfTheVmisExist();
                    return timeline.boundCount() + giveUps.count() >= options.pods();
                },
                Duration.ofSeconds(options.timeoutSeconds()),
                true);
        heapAfterBurstMb = Summary.heapUsedAfterGcMb();
        return bound;
    }

    /** {@code --disrupt-provisioner}: in the middle of the burst, as a crash and a restart would. */
    private void disruptWhenHalfTheVmisExist() {
        if (options.disruptProvisioner()
                && disruptions.isEmpty()
                && timeline.vmiCount() >= Math.max(1, options.pods() / 2)) {
            String done = components.disruptProvisioner();
            disruptions.add(String.format(java.util.Locale.ROOT, "%.1f s: %s", elapsedMillis() / 1000.0, done));
        }
    }

    /**
     * Deletes every pod and waits for the components to remove what they created; returns what was left. With a
     * warm pool, warmPoolSize is set to 0 first: spare pool VMs then go too, so "nothing left" still means nothing.
     */
    public List<String> teardown() {
        if (options.warmPool() > 0) {
            pool.size(0);
        }
        client.pods().inNamespace(ClusterSeed.TENANT_NAMESPACE).delete();
        ClusterInventory inventory = new ClusterInventory(client, config);
        waitFor(() -> inventory.leftovers().isEmpty(), CLEANUP_TIMEOUT, false);
        return inventory.leftovers();
    }

    /** The summary of the run so far; {@code orphans} null when not torn down. */
    public Summary summary(List<String> orphans) {
        List<String> violations = isolationAtBind;
        List<Double> latencies = Summary.bindLatencies(timeline.pods());
        return new Summary(
                options.pods(),
                (int) timeline.boundCount(),
                giveUps.asConfigured(config.maxBootAttempts()),
                giveUps.unexplained(config.maxBootAttempts()),
                ledger.created(),
                ledger.deleted(),
                ledger.duplicates(),
                orphans == null ? List.of() : orphans,
                Summary.percentile(latencies, 50),
                Summary.percentile(latencies, 95),
                maroonRecord.failedSchedulingCount(),
                maroonRecord.sample(),
                violations,
                kubevirt.bootProblems(),
                api.faults().injected(),
                watchesDropped.get(),
                api.front().componentRequests(),
                ordinaryPods(),
                ordinaryBound,
                options.nodes(),
                tokenLeaks,
                List.copyOf(disruptions),
                profile.source() + ", backoff " + profile.initialBackoff().toSeconds() + " s -> "
                        + profile.maxBackoff().toSeconds() + " s",
                orphans != null,
                elapsedMillis() / 1000.0,
                heapAfterBurstMb,
                timeline.pods());
    }

    /**
     * Adds a second wave of ordinary pods now that dedicated nodes exist (so the scheduler has to keep them off those),
     * waits for them to be scheduled, then checks isolation over every pod while the maroon pods are still bound.
     */
    public void checkIsolation() {
        for (int i = options.nodes() + 1; i <= ordinaryPods(); i++) {
            client.resource(Workload.ordinaryPod(i)).create();
        }
        waitFor(
                () -> new ClusterInventory(client, config).ordinaryPodsBound() >= ordinaryPods(),
                ORDINARY_TIMEOUT,
                false);
        ordinaryBound = new ClusterInventory(client, config).ordinaryPodsBound();
        isolationAtBind = Isolation.violations(pods(), pool.claimedNodeOwners());
        java.util.Map<String, String> places =
                new java.util.LinkedHashMap<>(new ClusterInventory(client, config).objectsThatMustNotHoldTheToken());
        places.putAll(components.metricsPages());
        List<String> leaks = new ArrayList<>(TokenScan.agentTokenLeaks(token, places));
        leaks.addAll(logWatch.leaks());
        tokenLeaks = List.copyOf(leaks);
    }

    /** One ordinary pod per worker before the maroon pods, one more per worker once their nodes exist. */
    private int ordinaryPods() {
        return 2 * options.nodes();
    }

    public String extenderUrl() {
        return components.extenderUrl();
    }

    public ApiServer api() {
        return api;
    }

    /** The pods as they are now (for tests). */
    public List<Pod> pods() {
        return client.pods().inAnyNamespace().list().getItems();
    }

    private boolean waitFor(BooleanSupplier done, Duration timeout, boolean showProgress) {
        return waitFor(done, timeout, this::line, showProgress);
    }

    private boolean waitFor(BooleanSupplier done, Duration timeout, Supplier<String> line, boolean showProgress) {
        return Progress.await(done, timeout, line, new Progress(progressOut, showProgress));
    }

    private String line() {
        return ProgressLines.burst(elapsedMillis(), options.pods(), timeline, maroonRecord.failedSchedulingCount());
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
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
                // Closing is best effort: one component failing to stop must not keep the others running.
            }
        }
    }
}

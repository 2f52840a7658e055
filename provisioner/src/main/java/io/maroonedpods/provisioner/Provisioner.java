package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.observe.HealthServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioner as an object: {@link #start} it against a client, {@link #close} it. Several can run in one JVM
 * (the simulator restarts one mid-run and runs two for leader changes): nothing here is static or global, each has
 * its own metrics registry, threads and health port, and closing one never closes the client it was given.
 *
 * <p>Leader election uses fabric8's LeaderElector on the Lease {@code maroonedpods-provisioner} directly rather than
 * JOSDK's: JOSDK's can only keep reconciling or exit the JVM when leadership is lost, while an embedded replica must
 * stop its controllers and stand by again.
 */
public final class Provisioner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final ProvisionerConfig config;
    private final KubernetesClient client;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService scheduler;
    private HealthServer health;
    private LeaderTerm term;
    private CompletableFuture<?> election;
    private volatile boolean closed;

    private Provisioner(ProvisionerConfig config, KubernetesClient client) {
        this.config = config;
        this.client = client;
        int instance = INSTANCES.incrementAndGet();
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "provisioner-" + instance);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Validates the configuration, starts health and metrics, then either starts reconciling (no leader election) or
     * joins the election. Returns once the controllers run, or once this replica stands by.
     *
     * @throws IllegalArgumentException naming every invalid field of {@code config}
     */
    public static Provisioner start(ProvisionerConfig config, KubernetesClient client) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid provisioner configuration: " + String.join("; ", problems));
        }
        Provisioner provisioner = new Provisioner(config, client);
        try {
            provisioner.begin();
        } catch (RuntimeException e) {
            provisioner.close();
            throw e;
        }
        return provisioner;
    }

    private void begin() {
        LOG.info(
                "provisioner {} starting: API server {}, {}",
                config.identity(),
                client.getMasterUrl(),
                config.leaderElection()
                        ? "leader election on Lease " + config.systemNamespace() + "/" + Names.PROVISIONER_LEASE
                        : "no leader election");
        if (config.healthPort() >= 0) {
            try {
                health = HealthServer.start(config.healthPort(), () -> !closed, this::isReady, registry::scrape);
            } catch (IOException e) {
                throw new UncheckedIOException("healthPort: cannot listen on " + config.healthPort(), e);
            }
        }
        if (config.leaderElection()) {
            elect();
        } else {
            lead();
        }
    }

    private void elect() {
        if (closed) {
            return;
        }
        var lease = new LeaseLock(config.systemNamespace(), Names.PROVISIONER_LEASE, config.identity());
        var leaseDuration = config.leaseDuration();
        var electionConfig = new LeaderElectionConfigBuilder()
                .withName(Names.PROVISIONER_LEASE)
                .withLock(lease)
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(leaseDuration.multipliedBy(2).dividedBy(3))
                .withRetryPeriod(leaseDuration.dividedBy(5))
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> onScheduler(this::leadOrResign),
                        () -> onScheduler(this::standBy),
                        leader -> LOG.info("provisioner leader is now {}", leader)))
                .build();
        CompletableFuture<?> running =
                client.leaderElector().withConfig(electionConfig).build().start();
        synchronized (this) {
            election = running;
        }
        // The future ends when leadership is lost (or the Lease cannot be reached): stand by and run again.
        running.whenComplete((ignored, error) -> {
            if (error != null && !closed) {
                LOG.warn(
                        "provisioner {}: leader election stopped, retrying: {}", config.identity(), error.getMessage());
            }
            if (!closed && !scheduler.isShutdown()) {
                onScheduler(this::standBy);
                scheduler.schedule(this::elect, leaseDuration.dividedBy(5).toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** A leader whose controllers cannot start gives the Lease up, so that another replica can try. */
    private void leadOrResign() {
        try {
            lead();
        } catch (RuntimeException e) {
            LOG.error(
                    "provisioner {} won the election but cannot start its controllers: {}",
                    config.identity(),
                    e.getMessage());
            CompletableFuture<?> running;
            synchronized (this) {
                running = election;
            }
            if (running != null) {
                running.cancel(true);
            }
        }
    }

    private void onScheduler(Runnable task) {
        try {
            scheduler.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: close() stops the controllers itself
        }
    }

    private synchronized void lead() {
        if (closed || term != null) {
            return;
        }
        term = LeaderTerm.start(config, client, registry, scheduler);
    }

    private synchronized void standBy() {
        if (term != null) {
            LOG.info("provisioner {} stopped leading: controllers stopped", config.identity());
            term.close();
            term = null;
        }
    }

    /** True while this replica runs the controllers. */
    public synchronized boolean isLeader() {
        return term != null;
    }

    /** Ready: a standby replica is ready to take over; a leader is ready when its informers are healthy. */
    public synchronized boolean isReady() {
        return !closed && (term == null ? config.leaderElection() : term.healthy());
    }

    /** The port /livez, /readyz and /metrics listen on, or -1 when there is no health server. */
    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    /** The metrics in Prometheus text format (what /metrics serves). */
    public String scrapeMetrics() {
        return registry.scrape();
    }

    /** Stops everything this provisioner started (controllers, sweep, election, health); the client stays open. */
    @Override
    public void close() {
        closed = true;
        // Controllers stop before the Lease is released, so the next leader never overlaps with this one.
        standBy();
        CompletableFuture<?> running;
        synchronized (this) {
            running = election;
        }
        if (running != null) {
            running.cancel(true);
        }
        if (health != null) {
            health.close();
        }
        scheduler.shutdownNow();
        registry.close();
    }
}

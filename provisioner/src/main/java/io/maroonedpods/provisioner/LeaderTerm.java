package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.maroonedpods.provisioner.config.ConfigSource;
import io.maroonedpods.provisioner.config.ConfigStatusReconciler;
import io.maroonedpods.provisioner.events.EventPublisher;
import io.maroonedpods.provisioner.isolation.IsolationGuard;
import io.maroonedpods.provisioner.lifecycle.Sweeper;
import io.maroonedpods.provisioner.lifecycle.Teardown;
import io.maroonedpods.provisioner.observe.ProvisionerMetrics;
import io.maroonedpods.provisioner.pool.PoolKeeper;
import io.maroonedpods.provisioner.pool.PoolQuarantine;
import io.maroonedpods.provisioner.reconcile.MaroonPodReconciler;
import io.maroonedpods.provisioner.reconcile.PodActions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything that runs while this replica leads: the JOSDK operator (pod and config controllers), the isolation
 * guard's watch, the periodic sweep, and the warm-pool keeper. A term is built fresh each time leadership is gained and closed when it is lost, so a replica that lost the
 * Lease stops reconciling at once and a later term starts from clean caches.
 */
final class LeaderTerm implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderTerm.class);
    /** A reconcile is a few requests; this bounds how long a stop waits for those under way. */
    static final Duration RECONCILES_FINISH_WITHIN = Duration.ofSeconds(5);

    private final Operator operator;
    private final IsolationGuard guard;
    private final EventPublisher events;
    private final ScheduledFuture<?> sweeps;
    private final ScheduledFuture<?> poolPasses;

    private LeaderTerm(
            Operator operator,
            IsolationGuard guard,
            EventPublisher events,
            ScheduledFuture<?> sweeps,
            ScheduledFuture<?> poolPasses) {
        this.operator = operator;
        this.guard = guard;
        this.events = events;
        this.sweeps = sweeps;
        this.poolPasses = poolPasses;
    }

    static LeaderTerm start(
            ProvisionerConfig config,
            KubernetesClient client,
            MeterRegistry registry,
            ScheduledExecutorService scheduler) {
        String vmNamespace = ConfigSource.vmNamespaceAtStart(client);
        ConfigSource configs = new ConfigSource(client, vmNamespace);
        EventPublisher events = new EventPublisher(client, config.clock(), config.identity());
        ProvisionerMetrics metrics = new ProvisionerMetrics(registry);
        // The guard watches first: a stranger bound while the rest starts is seen all the same.
        IsolationGuard guard = IsolationGuard.start(
                client,
                vmNamespace,
                config.podWatch(),
                config.allowedDaemonSets(),
                events,
                metrics,
                new PoolQuarantine(client, vmNamespace, new Teardown(client, vmNamespace)));
        PodActions steps = new PodActions(client, configs, events, metrics, config.clock(), guard::strangerOn);
        Operator operator;
        try {
            operator = startOperator(config, client, registry, configs, steps);
        } catch (RuntimeException e) {
            guard.close();
            events.close();
            throw e;
        }

        Sweeper sweeper = new Sweeper(
                client,
                vmNamespace,
                () -> config.podWatch().listOptedIn(client, config.schedulerName()),
                new Teardown(client, vmNamespace),
                events);
        ScheduledFuture<?> sweeps = scheduler.scheduleWithFixedDelay(
                () -> {
                    safely("sweep", sweeper::sweep);
                    // The guard reacts to each pod as it is bound; this only looks again at what its watch holds.
                    safely("isolation recheck", guard::recheckAll);
                },
                0,
                config.sweepInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        PoolKeeper pool = new PoolKeeper(
                client, configs, new Teardown(client, vmNamespace), config.clock(), new java.security.SecureRandom());
        ScheduledFuture<?> poolPasses = scheduler.scheduleWithFixedDelay(
                () -> safely("warm pool", pool::pass), 0, PoolKeeper.INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info(
                "provisioner {} is leading: watching {} pods, VMIs in {}",
                config.identity(),
                config.podWatch(),
                vmNamespace);
        return new LeaderTerm(operator, guard, events, sweeps, poolPasses);
    }

    /** The pod and config controllers, started (their informers synced). */
    private static Operator startOperator(
            ProvisionerConfig config,
            KubernetesClient client,
            MeterRegistry registry,
            ConfigSource configs,
            PodActions steps) {
        MaroonPodReconciler pods = new MaroonPodReconciler(
                steps, config.clock(), config.schedulerName(), config.podWatch() == PodWatch.LABEL);

        KubernetesSerialization json = client.getKubernetesSerialization();
        Operator operator = new Operator(o -> o.withKubernetesClient(client)
                .withCloseClientOnStop(false)
                // Pods reach the reconciler as the informer holds them, not as a copy: JOSDK's copy is a Jackson round
                // trip per reconcile, and the reconciler never changes the pod it is given (every write starts from a
                // copy of its own, Apply). Other resources are copied.
                .withResourceCloner(new Cloner() {
                    @Override
                    public <R extends HasMetadata> R clone(R object) {
                        return object instanceof Pod ? object : json.clone(object);
                    }
                })
                .withConcurrentReconciliationThreads(config.reconcileThreads())
                // On stop, reconciles under way finish their writes rather than being interrupted between a VMI and
                // its credentials (JOSDK's default is to interrupt them at once), which the next leader would have to
                // leave to us for VmBooter.WRITER_GRACE before finishing them itself.
                .withReconciliationTerminationTimeout(RECONCILES_FINISH_WITHIN)
                .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                .withUseSSAToPatchPrimaryResource(false));
        operator.register(pods, PodController.configuration(operator.getConfigurationService(), pods, config));
        operator.register(
                new ConfigStatusReconciler(configs, client, config.clock()), o -> o.withName("maroonedpods-config"));
        operator.start();
        return operator;
    }

    boolean healthy() {
        return operator.getRuntimeInfo().isStarted()
                && operator.getRuntimeInfo().allEventSourcesAreHealthy()
                && guard.watching();
    }

    @Override
    public void close() {
        sweeps.cancel(false);
        poolPasses.cancel(false);
        operator.stop();
        guard.close();
        events.close();
    }

    private static void safely(String what, Runnable pass) {
        try {
            pass.run();
        } catch (RuntimeException e) {
            LOG.warn("{} failed, will try again: {}", what, e.getMessage());
        }
    }
}

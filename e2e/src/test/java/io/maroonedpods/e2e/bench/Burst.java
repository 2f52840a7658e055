package io.maroonedpods.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Daemon;
import io.maroonedpods.e2e.support.KubeScheduler;
import io.maroonedpods.e2e.support.Pki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One measured burst: {@code pods} pending ordinary pods, then kube-scheduler started with one extender setup, timed
 * from the first bind to the last as a watch sees them. The CPU time of kube-scheduler, the extender and the API
 * server is taken at those two moments, so the scheduler's start (listing the nodes and pods) is not counted.
 */
final class Burst {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Duration TIMEOUT = Duration.ofMinutes(Long.getLong("bench.timeoutMinutes", 10));

    /**
     * What one burst measured. CPU in ms over the window between the first and the last bind; {@code algorithmMs} the
     * mean of kube-scheduler's scheduler_scheduling_algorithm_duration_seconds (filter plugins, extenders and scoring,
     * per pod: what an extender adds to a scheduling cycle as the scheduler sees it; kube-scheduler has no metric of
     * its extenders' own); {@code extenderServerMs} the mean /filter time our extender measures itself.
     */
    record Result(
            String setup,
            int nodes,
            int pods,
            double seconds,
            long schedulerCpuMs,
            long extenderCpuMs,
            long controlPlaneCpuMs,
            double algorithmMs,
            double extenderServerMs,
            String load,
            String hostProbe) {
        double podsPerSecond() {
            return (pods - 1) / seconds;
        }
    }

    private Burst() {}

    static Result run(
            ControlPlane plane, Setup setup, String configYaml, int nodes, int pods, String namespace, String hostProbe)
            throws Exception {
        KubernetesClient admin = plane.adminClient();
        FakeCluster.createPods(admin, namespace, pods);
        String extenderMetrics = setup.metricsUrl();
        double[] serverBefore = extenderMetrics == null
                ? new double[2]
                : Measures.histogram(
                        Measures.scrape(extenderMetrics), "extender_request_duration_seconds", "verb=\"filter\"");
        Window window = new Window(pods, plane.storageAndApiServerPids(), setup.pid());
        int metricsPort = ControlPlane.freePort();
        // kube-scheduler's own serving certificate, of a CA of the benchmark's, so that its /metrics is read over
        // checked TLS.
        Pki pki = Pki.create(plane.dir().resolve("pki-" + namespace));
        Pki.Issued serving = pki.serving("kube-scheduler", List.of("localhost"));
        Daemon scheduler;
        try (Watch watch = admin.pods().inNamespace(namespace).watch(window)) {
            scheduler = KubeScheduler.start(
                    plane,
                    "kube-scheduler-" + namespace,
                    configYaml,
                    plane.schedulerIdentity(),
                    config -> config,
                    metricsPort,
                    List.of(
                            "--authorization-always-allow-paths=/healthz,/readyz,/livez,/metrics",
                            "--tls-cert-file=" + serving.cert(),
                            "--tls-private-key-file=" + serving.key()));
            window.scheduler = scheduler.pid();
            try {
                if (!window.lastBind.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    scheduler.requireAlive();
                    List<Pod> listed =
                            admin.pods().inNamespace(namespace).list().getItems();
                    long bound = listed.stream()
                            .filter(p -> p.getSpec().getNodeName() != null)
                            .count();
                    String why = listed.isEmpty()
                                    || listed.get(0).getStatus().getConditions().isEmpty()
                            ? "-"
                            : listed.get(0).getStatus().getConditions().get(0).getMessage();
                    throw new IllegalStateException(setup + ": the watch saw " + window.bound.get() + " of " + pods
                            + " pods bound within " + TIMEOUT.toMinutes() + " min (" + window.events.get()
                            + " events, closed: " + window.closed + "), the API server holds " + bound
                            + " bound (" + why + "); see " + scheduler.log());
                }
                String metrics =
                        Measures.scrape("https://127.0.0.1:" + metricsPort + "/metrics", Pki.trusting(pki.caCert()));
                double[] algorithm = Measures.histogram(metrics, "scheduler_scheduling_algorithm_duration_seconds", "");
                double[] serverAfter = extenderMetrics == null
                        ? new double[2]
                        : Measures.histogram(
                                Measures.scrape(extenderMetrics),
                                "extender_request_duration_seconds",
                                "verb=\"filter\"");
                return new Result(
                        setup.label(),
                        nodes,
                        pods,
                        window.seconds(),
                        window.scheduler(),
                        window.extender(),
                        window.controlPlane(),
                        meanMs(algorithm),
                        meanMs(new double[] {serverAfter[0] - serverBefore[0], serverAfter[1] - serverBefore[1]}),
                        Measures.load(),
                        hostProbe);
            } finally {
                scheduler.close();
                FakeCluster.deletePods(admin, namespace);
            }
        }
    }

    /** The KubeSchedulerConfiguration of a setup: no leader election, and a client allowed to bind fast. */
    static String config(String base, int qps) {
        try {
            ObjectNode config = (ObjectNode) YAML.readTree(base);
            config.withObjectProperty("leaderElection").put("leaderElect", false);
            // kube-scheduler's client allows 50 requests a second by default: every bind is one, so that would be the
            // ceiling of every setup alike. Raised, so that what the scheduler and the extender cost shows.
            config.withObjectProperty("clientConnection").put("qps", qps).put("burst", qps);
            return YAML.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double meanMs(double[] sumAndCount) {
        return sumAndCount[1] > 0 ? sumAndCount[0] * 1000 / sumAndCount[1] : 0;
    }

    /** Counts binds as the watch sees them, and takes the times and CPU readings at the first and the last. */
    private static final class Window implements Watcher<Pod> {
        private final int pods;
        private final List<Long> controlPlane;
        private final long extender;
        private final AtomicInteger bound = new AtomicInteger();
        private final AtomicInteger events = new AtomicInteger();
        private volatile String closed = "no";
        private final CountDownLatch lastBind = new CountDownLatch(1);
        private final Set<String> seen = ConcurrentHashMap.newKeySet();
        private volatile long scheduler;
        private long firstNanos;
        private long lastNanos;
        private long[] cpuAtFirst;
        private long[] cpuAtLast;

        Window(int pods, List<Long> controlPlane, long extender) {
            this.pods = pods;
            this.controlPlane = controlPlane;
            this.extender = extender;
        }

        @Override
        public void eventReceived(Action action, Pod pod) {
            events.incrementAndGet();
            String node = pod.getSpec().getNodeName();
            if (node == null || node.isEmpty() || !seen.add(pod.getMetadata().getName())) {
                return;
            }
            int count = bound.incrementAndGet();
            if (count == 1) {
                firstNanos = System.nanoTime();
                cpuAtFirst = cpu();
            }
            if (count == pods) {
                lastNanos = System.nanoTime();
                cpuAtLast = cpu();
                lastBind.countDown();
            }
        }

        @Override
        public void onClose(WatcherException cause) {
            // The burst fails on its timeout, saying so.
            closed = String.valueOf(cause);
        }

        private long[] cpu() {
            return new long[] {
                Measures.cpuMillis(scheduler),
                Measures.cpuMillis(extender),
                controlPlane.stream().mapToLong(Measures::cpuMillis).sum()
            };
        }

        double seconds() {
            return (lastNanos - firstNanos) / 1e9;
        }

        long scheduler() {
            return cpuAtLast[0] - cpuAtFirst[0];
        }

        long extender() {
            return cpuAtLast[1] - cpuAtFirst[1];
        }

        long controlPlane() {
            return cpuAtLast[2] - cpuAtFirst[2];
        }
    }
}

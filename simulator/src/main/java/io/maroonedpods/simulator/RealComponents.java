package io.maroonedpods.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.extender.ExtenderServer;
import io.maroonedpods.extender.config.ConnectionLimits;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.provisioner.PodWatch;
import io.maroonedpods.provisioner.Provisioner;
import io.maroonedpods.provisioner.ProvisionerConfig;
import io.maroonedpods.testcluster.ApiServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The real extender and provisioner, unchanged, in this process: each with its own client of the simulated API
 * server (whose requests get the injected faults). The extender listens on an ephemeral 127.0.0.1 port. With more
 * than one provisioner replica they elect a leader on their Lease, as in a real Deployment.
 */
final class RealComponents implements AutoCloseable {
    /** Short, so that a replica takes over within seconds when the leader goes away. */
    private static final Duration LEASE = Duration.ofSeconds(3);

    private record Replica(Provisioner provisioner, KubernetesClient client, String identity) {}

    private final ApiServer api;
    private final KubernetesClient extenderClient;
    private final ExtenderServer extender;
    private final String extenderPrefix;
    private final boolean election;
    private final List<Replica> replicas = new ArrayList<>();
    private int started;

    private RealComponents(
            ApiServer api,
            KubernetesClient extenderClient,
            ExtenderServer extender,
            String extenderPrefix,
            boolean election) {
        this.api = api;
        this.extenderClient = extenderClient;
        this.extender = extender;
        this.extenderPrefix = extenderPrefix;
        this.election = election;
    }

    static RealComponents start(ApiServer api, EffectiveConfig config, int provisionerReplicas) {
        ExtenderConfig d = ExtenderConfig.defaults();
        ExtenderConfig extenderConfig = new ExtenderConfig(
                0,
                "127.0.0.1",
                d.prefix(),
                d.schedulerName(),
                d.bodyLimitBytes(),
                d.gzipMinBytes(),
                null,
                config.vmNamespace(),
                config.nodeTaintKey(),
                d.allowDaemonSets(),
                ExtenderConfig.Tls.NONE,
                ConnectionLimits.defaults());
        KubernetesClient extenderClient = api.componentClient();
        ExtenderServer extender = ExtenderServer.start(extenderConfig, extenderClient);
        RealComponents components =
                new RealComponents(api, extenderClient, extender, extenderConfig.prefix(), provisionerReplicas > 1);
        try {
            awaitOrFail(extender::ready, "the extender did not become ready within 30 s");
            for (int i = 0; i < provisionerReplicas; i++) {
                components.startReplica();
            }
        } catch (RuntimeException e) {
            components.close();
            throw e;
        }
        return components;
    }

    private void startReplica() {
        String identity = "provisioner-" + (++started);
        // The production pod watch (field selector spec.schedulerName): the simulated API server evaluates it.
        ProvisionerConfig.Builder config = ProvisionerConfig.embedded().toBuilder()
                .podWatch(PodWatch.SCHEDULER_NAME)
                .identity(identity);
        if (election) {
            config.leaderElection(true).leaseDuration(LEASE);
        }
        KubernetesClient client = api.componentClient();
        try {
            replicas.add(new Replica(Provisioner.start(config.build(), client), client, identity));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Stops the leading provisioner (the only one without leader election) and starts a new replica, as a crash
     * and a restart by its Deployment would. Returns what was done, for the summary.
     */
    String disruptProvisioner() {
        Replica victim = replicas.stream()
                .filter(r -> r.provisioner().isLeader())
                .findFirst()
                .orElse(replicas.get(0));
        boolean leader = election && victim.provisioner().isLeader();
        replicas.remove(victim);
        victim.provisioner().close();
        victim.client().close();
        startReplica();
        return "stopped " + victim.identity() + (leader ? " (the leader)" : "") + ", started "
                + replicas.get(replicas.size() - 1).identity();
    }

    int extenderPort() {
        return extender.port();
    }

    /** Every component's Prometheus page as it is now, keyed by where it came from (for the token scan). */
    java.util.Map<String, String> metricsPages() {
        java.util.Map<String, String> pages = new java.util.LinkedHashMap<>();
        pages.put("metrics of the extender", get(extender.port()));
        replicas.stream()
                .filter(r -> r.provisioner().healthPort() > 0)
                .forEach(r -> pages.put(
                        "metrics of " + r.identity(), get(r.provisioner().healthPort())));
        return pages;
    }

    private static String get(int port) {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    String extenderUrl() {
        return "http://127.0.0.1:" + extender.port() + extenderPrefix;
    }

    private static void awaitOrFail(java.util.function.BooleanSupplier condition, String failure) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(failure);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the components");
            }
        }
    }

    @Override
    public void close() {
        replicas.forEach(r -> {
            r.provisioner().close();
            r.client().close();
        });
        replicas.clear();
        extender.close();
        extenderClient.close();
    }
}

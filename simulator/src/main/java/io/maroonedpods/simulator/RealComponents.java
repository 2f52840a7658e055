package io.maroonedpods.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.extender.ExtenderServer;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.provisioner.PodWatch;
import io.maroonedpods.provisioner.Provisioner;
import io.maroonedpods.provisioner.ProvisionerConfig;
import io.maroonedpods.simulator.cluster.ApiServer;
import java.time.Duration;
import java.time.Instant;

/**
 * The real extender and provisioner, unchanged, in this process: each with its own client of the simulated API
 * server (whose requests get the injected faults). The extender listens on an ephemeral 127.0.0.1 port.
 */
final class RealComponents implements AutoCloseable {
    private final KubernetesClient extenderClient;
    private final KubernetesClient provisionerClient;
    private final ExtenderServer extender;
    private final Provisioner provisioner;
    private final String extenderPrefix;

    private RealComponents(KubernetesClient extenderClient, KubernetesClient provisionerClient, ExtenderServer extender,
                           Provisioner provisioner, String extenderPrefix) {
        this.extenderClient = extenderClient;
        this.provisionerClient = provisionerClient;
        this.extender = extender;
        this.provisioner = provisioner;
        this.extenderPrefix = extenderPrefix;
    }

    static RealComponents start(ApiServer api, EffectiveConfig config) {
        ExtenderConfig d = ExtenderConfig.defaults();
        ExtenderConfig extenderConfig = new ExtenderConfig(0, "127.0.0.1", d.prefix(), d.schedulerName(), d.bodyLimitBytes(),
                d.gzipMinBytes(), null, config.vmNamespace(), config.nodeTaintKey(), d.allowDaemonSets(), ExtenderConfig.Tls.NONE);
        KubernetesClient extenderClient = api.componentClient();
        KubernetesClient provisionerClient = api.componentClient();
        ExtenderServer extender = ExtenderServer.start(extenderConfig, extenderClient);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!extender.ready()) {
            if (Instant.now().isAfter(deadline)) {
                extender.close();
                throw new IllegalStateException("the extender did not become ready within 30 s");
            }
            sleep(20);
        }
        // The production pod watch (field selector spec.schedulerName): the simulated API server evaluates it.
        Provisioner provisioner = Provisioner.start(ProvisionerConfig.embedded().toBuilder()
                .podWatch(PodWatch.SCHEDULER_NAME).build(), provisionerClient);
        return new RealComponents(extenderClient, provisionerClient, extender, provisioner, extenderConfig.prefix());
    }

    int extenderPort() {
        return extender.port();
    }

    String extenderUrl() {
        return "http://127.0.0.1:" + extender.port() + extenderPrefix;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the components");
        }
    }

    @Override
    public void close() {
        provisioner.close();
        extender.close();
        provisionerClient.close();
        extenderClient.close();
    }
}

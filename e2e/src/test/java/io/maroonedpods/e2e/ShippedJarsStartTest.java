package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import io.maroonedpods.e2e.support.Daemon;
import io.maroonedpods.e2e.support.Kubeconfig;
import io.maroonedpods.e2e.support.Repo;
import io.maroonedpods.e2e.support.Shipped;
import io.maroonedpods.testcluster.ApiServer;
import io.maroonedpods.testcluster.ClusterCrds;
import io.maroonedpods.testcluster.FaultInjector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jars as the service image ships them (the packaged jar and its libs/, started by the image's entry point) do
 * their first real work: a missing runtime dependency shows here, not first in a cluster. Needs no control plane:
 * the simulator's API server stands in for it.
 */
class ShippedJarsStartTest {
    @Test
    void theShippedProvisionerWritesTheConfigStatusAndTheShippedExtenderTurnsReady(@TempDir Path dir) throws Exception {
        try (ApiServer api = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC());
                KubernetesClient client = api.simulatorClient()) {
            // It serves only built-ins and the CRDs created in it, as kube-apiserver does.
            ClusterCrds.install(client);
            client.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("maroonedpods-system")
                            .endMetadata()
                            .build())
                    .create();
            // The MaroonedPodsConfig the base manifests install.
            client.resource(Serialization.unmarshal(
                            Files.readString(Repo.root().resolve("manifests/base/config/default-config.yaml")),
                            MaroonedPodsConfig.class))
                    .create();

            Kubeconfig kubeconfig = new Kubeconfig(api.writeKubeconfig(dir.resolve("kubeconfig")));
            Shipped shipped = Shipped.layOut(dir);
            int extenderPort = freePort();
            try (Daemon provisioner = shipped.start(
                            "provisioner",
                            Map.of(
                                    "MAROON_HEALTH_PORT",
                                    Integer.toString(freePort()),
                                    "MAROON_LEADER_ELECTION",
                                    "false"),
                            kubeconfig,
                            dir.resolve("provisioner.log"));
                    Daemon extender = shipped.start(
                            "extender",
                            Map.of(
                                    "EXTENDER_PORT",
                                    Integer.toString(extenderPort),
                                    "EXTENDER_BINDADDRESS",
                                    "127.0.0.1"),
                            kubeconfig,
                            dir.resolve("extender.log"))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    provisioner.requireAlive();
                    MaroonedPodsConfig seen = client.resources(MaroonedPodsConfig.class)
                            .withName(Names.CONFIG_NAME)
                            .get();
                    assertThat(seen.getStatus())
                            .as("status written by the shipped provisioner")
                            .isNotNull();
                    assertThat(seen.getStatus().observedGeneration())
                            .isEqualTo(seen.getMetadata().getGeneration());
                });
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    extender.requireAlive();
                    assertThat(status("http://127.0.0.1:" + extenderPort + "/readyz"))
                            .isEqualTo(200);
                });
                assertThat(provisioner.tail(500)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
                assertThat(extender.tail(500)).doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
            }
        }
    }

    private static int status(String url) {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            return http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

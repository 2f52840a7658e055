package io.maroonedpods.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.simulator.cli.Options;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The provisioner's isolation guard against the simulated API server, whose field selectors it watches through (the
 * bound pods, {@code spec.nodeName!=}): a pod bound by hand to a dedicated node (a wildcard toleration got it past
 * the taint) is deleted with grace period 0 as soon as it is seen, and both it and the node's own pod get an
 * IsolationViolation Warning. The simulated API server evaluates no admission policy: that a pod cannot be created
 * there with the node's name is tested against the real kube-apiserver (e2e).
 */
class IsolationEvictionTest {

    @Test
    void aPodBoundByHandToADedicatedNodeIsRemovedWithWarningsOnBothPods() {
        try (Simulation simulation = new Simulation(
                        Options.parse("--pods", "1", "--nodes", "1", "--boot-seconds", "0"),
                        new PrintStream(OutputStream.nullOutputStream()))
                .start()) {
            assertThat(simulation.awaitBound()).isTrue();
            KubernetesClient client = simulation.api().simulatorClient();
            Pod owner = simulation.pods().stream()
                    .filter(p -> p.getMetadata().getName().equals("maroon-1"))
                    .findFirst()
                    .orElseThrow();
            String node = owner.getSpec().getNodeName();

            client.pods()
                    .inNamespace("tenant-a")
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName("stranger")
                            .withNamespace("tenant-a")
                            .endMetadata()
                            .withNewSpec()
                            .withNodeName(node)
                            .addNewToleration()
                            .withOperator("Exists")
                            .endToleration()
                            .addNewContainer()
                            .withName("c")
                            .withImage("busybox")
                            .endContainer()
                            .endSpec()
                            .build())
                    .create();

            await().atMost(Duration.ofSeconds(40))
                    .until(() -> client.pods()
                                    .inNamespace("tenant-a")
                                    .withName("stranger")
                                    .get()
                            == null);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(violations(client, "tenant-a", "stranger"))
                        .singleElement()
                        .asString()
                        .contains("removed from node " + node + " (deleted, grace period 0)")
                        .contains(owner.getMetadata().getName());
                assertThat(violations(
                                client,
                                owner.getMetadata().getNamespace(),
                                owner.getMetadata().getName()))
                        .singleElement()
                        .asString()
                        .contains("tenant-a/stranger")
                        .contains("has been removed");
            });
            assertThat(client.pods()
                            .inNamespace(owner.getMetadata().getNamespace())
                            .withName(owner.getMetadata().getName())
                            .get())
                    .as("the owner stays")
                    .isNotNull();
        }
    }

    private static List<String> violations(KubernetesClient client, String namespace, String pod) {
        return client.events().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> pod.equals(e.getRegarding().getName()) && "IsolationViolation".equals(e.getReason()))
                .map(Event::getNote)
                .toList();
    }
}

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
 * The provisioner's isolation patrol against an API server that serves pods/eviction: a pod bound by hand to a
 * dedicated node (a wildcard toleration got it past the taint) leaves through the Eviction API, not a bare delete,
 * and both it and the node's own pod get an IsolationViolation Warning.
 */
class IsolationEvictionTest {

    @Test
    void aPodBoundByHandToADedicatedNodeIsEvicted() {
        try (Simulation simulation = new Simulation(Options.parse("--pods", "1", "--nodes", "1", "--boot-seconds", "0"),
                new PrintStream(OutputStream.nullOutputStream())).start()) {
            assertThat(simulation.awaitBound()).isTrue();
            KubernetesClient client = simulation.api().simulatorClient();
            Pod owner = simulation.pods().stream().filter(p -> p.getMetadata().getName().equals("maroon-1")).findFirst()
                    .orElseThrow();
            String node = owner.getSpec().getNodeName();
            long evictionsBefore = simulation.api().front().evictions();

            client.pods().inNamespace("tenant-a").resource(new PodBuilder().withNewMetadata().withName("stranger")
                    .withNamespace("tenant-a").endMetadata().withNewSpec().withNodeName(node)
                    .addNewToleration().withOperator("Exists").endToleration()
                    .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();

            // The patrol runs with the sweep, every 10 s.
            await().atMost(Duration.ofSeconds(40))
                    .until(() -> client.pods().inNamespace("tenant-a").withName("stranger").get() == null);
            assertThat(simulation.api().front().evictions() - evictionsBefore).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(violations(client, "tenant-a", "stranger")).singleElement().asString()
                        .contains("evicted from node " + node).contains(owner.getMetadata().getName());
                assertThat(violations(client, owner.getMetadata().getNamespace(), owner.getMetadata().getName()))
                        .singleElement().asString().contains("tenant-a/stranger");
            });
            assertThat(client.pods().inNamespace(owner.getMetadata().getNamespace())
                    .withName(owner.getMetadata().getName()).get()).as("the owner stays").isNotNull();
        }
    }

    private static List<String> violations(KubernetesClient client, String namespace, String pod) {
        return client.events().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> pod.equals(e.getRegarding().getName()) && "IsolationViolation".equals(e.getReason()))
                .map(Event::getNote).toList();
    }
}

package io.maroonedpods.provisioner.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.testcluster.TestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
    TestCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void startCluster() {
        cluster = TestCluster.start("team-a");
        client = cluster.client();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    static Pod pod() {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("team-a")
                .withUid("5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f")
                .endMetadata()
                .build();
    }

    @Test
    void anEventIsWrittenAsEventsK8sIoV1RegardingThePod() {
        new EventPublisher(client, Clock.systemUTC(), "replica-a", Runnable::run)
                .publish(pod(), Reason.NodeRejected, "bad node");

        List<Event> events =
                client.events().v1().events().inNamespace("team-a").list().getItems();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getReason()).isEqualTo("NodeRejected");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getAction()).isEqualTo("VerifyNode");
            assertThat(e.getNote()).isEqualTo("bad node");
            assertThat(e.getReportingController()).isEqualTo(EventPublisher.CONTROLLER);
            assertThat(e.getReportingInstance()).isEqualTo("replica-a");
            assertThat(e.getRegarding().getKind()).isEqualTo("Pod");
            assertThat(e.getRegarding().getUid()).isEqualTo("5f1c3a9e-2b7d-4c1e-9a0f-3d2e1b4c5a6f");
            assertThat(e.getEventTime().getTime()).endsWith("Z");
        });
    }

    @Test
    void theSameOccurrenceIsRecordedOnceEvenByASecondPublisher() {
        new EventPublisher(client, Clock.systemUTC(), "a", Runnable::run).publish(pod(), Reason.VmiCreated, "running");
        new EventPublisher(client, Clock.systemUTC(), "a", Runnable::run).publish(pod(), Reason.VmiCreated, "running");
        new EventPublisher(client, Clock.systemUTC(), "a", Runnable::run)
                .publish(pod(), Reason.VmiCreated, "running again");

        assertThat(client.events().v1().events().inNamespace("team-a").list().getItems())
                .hasSize(2);
    }

    @Test
    void publishingDoesNotWaitForTheWriteAndClosingLetsItGoOut() {
        try (EventPublisher events = new EventPublisher(client, Clock.systemUTC(), "a")) {
            events.publish(pod(), Reason.VmiCreated, "created");
        }
        assertThat(client.events().v1().events().inNamespace("team-a").list().getItems())
                .extracting(Event::getReason)
                .containsExactly("VmiCreated");
    }

    @Test
    void publishingNeverThrowsEvenWhenTheApiIsGone() {
        KubernetesClient closed = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:1")
                        .withRequestRetryBackoffLimit(0)
                        .withConnectionTimeout(200)
                        .build())
                .build();

        new EventPublisher(closed, Clock.systemUTC(), "a", Runnable::run).publish(pod(), Reason.TornDown, "gone");
        closed.close();
    }

    @Test
    void notesAreCutToOneKibibyteOnACharacterBoundary() {
        String note = "é".repeat(600);

        String cut = EventPublisher.truncate(note);

        assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(cut).endsWith("...").doesNotContain("\uFFFD");
        assertThat(EventPublisher.truncate("short")).isEqualTo("short");
    }
}

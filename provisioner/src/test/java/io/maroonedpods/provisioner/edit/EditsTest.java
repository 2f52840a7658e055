package io.maroonedpods.provisioner.edit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import io.maroonedpods.testcluster.TestCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EditsTest {
    TestCluster cluster;
    KubernetesClient client;
    Edits edits;

    @BeforeEach
    void startClusterWithPod() {
        cluster = TestCluster.start("tenant");
        client = cluster.client();
        edits = new Edits(client);
        client.pods().inNamespace("tenant").resource(new PodBuilder().withNewMetadata().withName("web")
                .withAnnotations(Map.of("keep", "me")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build())
                .create();
    }

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @Test
    void aChangeIsOneReadAndOneWriteThatKeepsWhatItDidNotTouch() {
        int requests = cluster.requestCount();

        edits.edit(client.pods().inNamespace("tenant").withName("web"), Pod.class, p -> {
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        });

        int made = cluster.requestCount() - requests;
        assertThat(pod().getMetadata().getAnnotations()).containsEntry("keep", "me").containsEntry("added", "yes");
        assertThat(made).as("one read, one write").isEqualTo(2);
    }

    @Test
    void aPodThatMovedOnAfterTheReadIsReadAgainAndTheChangeMadeOnTheNewVersion() {
        var web = client.pods().inNamespace("tenant").withName("web");
        AtomicInteger reads = new AtomicInteger();

        edits.edit(web, Pod.class, p -> {
            if (reads.incrementAndGet() == 1) {
                changeBehindOurBack(web);
            }
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        });

        assertThat(reads).hasValue(2);
        assertThat(pod().getMetadata().getAnnotations()).containsKey("someone").containsEntry("added", "yes");
    }

    @Test
    void aPodThatKeepsMovingIsAConflictInTheEndAndOurChangeIsNotWritten() {
        var web = client.pods().inNamespace("tenant").withName("web");
        AtomicInteger reads = new AtomicInteger();

        assertThatThrownBy(() -> edits.edit(web, Pod.class, p -> {
            reads.incrementAndGet();
            changeBehindOurBack(web);
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        })).isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(reads).hasValue(OnConflict.ATTEMPTS);
        assertThat(pod().getMetadata().getAnnotations()).containsKey("someone").doesNotContainKey("added");
    }

    @Test
    void aCopyAtHandThatIsCurrentSavesTheRead() {
        var web = client.pods().inNamespace("tenant").withName("web");
        Pod known = pod();
        int requests = cluster.requestCount();

        edits.edit(web, Pod.class, known, p -> {
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        });

        assertThat(cluster.requestCount() - requests).as("only the write").isEqualTo(1);
        assertThat(pod().getMetadata().getAnnotations()).containsEntry("keep", "me").containsEntry("added", "yes");
        assertThat(known.getMetadata().getAnnotations()).as("the copy at hand is not changed").doesNotContainKey("added");
    }

    @Test
    void aCopyAtHandThatIsOutOfDateMeetsAConflictAndTheChangeIsMadeOnWhatIsReadThen() {
        var web = client.pods().inNamespace("tenant").withName("web");
        Pod stale = pod();
        changeBehindOurBack(web);
        AtomicInteger attempts = new AtomicInteger();

        edits.edit(web, Pod.class, stale, p -> {
            attempts.incrementAndGet();
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        });

        assertThat(attempts).as("on the stale copy, then on the one read after the 409").hasValue(2);
        assertThat(pod().getMetadata().getAnnotations()).containsKey("someone").containsEntry("added", "yes");
    }

    private static void changeBehindOurBack(PodResource web) {
        web.edit(other -> {
            other.getMetadata().getAnnotations().put("someone", "else-" + System.nanoTime());
            return other;
        });
    }

    @Test
    void aChangeThatChangesNothingWritesNothing() {
        Pod before = pod();
        int requests = cluster.requestCount();

        var result = edits.edit(client.pods().inNamespace("tenant").withName("web"), Pod.class, p -> {
            p.getMetadata().getAnnotations().put("keep", "me");
            return p;
        });

        assertThat(cluster.requestCount() - requests).as("only the read").isEqualTo(1);
        assertThat(result).isPresent();
        assertThat(pod().getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    }

    @Test
    void aMissingObjectIsEmptyAndNothingIsWritten() {
        var result = edits.edit(client.pods().inNamespace("tenant").withName("gone"), Pod.class, p -> {
            throw new AssertionError("no change is made to what does not exist");
        });
        assertThat(result).isEmpty();
    }

    private Pod pod() {
        return client.pods().inNamespace("tenant").withName("web").get();
    }
}

package io.maroonedpods.provisioner.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.maroonedpods.testcluster.TestCluster;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApplyTest {
    final TestCluster cluster = TestCluster.start("tenant");
    final KubernetesClient client = cluster.client();
    Apply apply;

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void createPod() {
        apply = new Apply(client);
        createPodNamedWeb();
    }

    private void createPodNamedWeb() {
        client.pods()
                .inNamespace("tenant")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withAnnotations(Map.of("keep", "me"))
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("c")
                        .withImage("nginx")
                        .endContainer()
                        .addNewToleration()
                        .withKey("theirs")
                        .withOperator("Exists")
                        .endToleration()
                        .endSpec()
                        .build())
                .create();
    }

    @Test
    void aChangeIsOneReadAndOneWriteThatKeepsWhatItDidNotTouch() {
        int requests = cluster.requestCount();

        Apply.Applied<Pod> applied = apply.edit(web(), null, p -> {
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        });

        int made = cluster.requestCount() - requests;
        assertThat(applied.outcome()).isEqualTo(Apply.Outcome.PATCHED);
        assertThat(pod().getMetadata().getAnnotations())
                .containsEntry("keep", "me")
                .containsEntry("added", "yes");
        assertThat(made).as("one read, one write").isEqualTo(2);
    }

    @Test
    void aChangeElsewhereInThePodSinceTheCopyIsNoConflict() {
        Pod stale = pod();
        changeAnnotationBehindOurBack(web());
        AtomicInteger attempts = new AtomicInteger();

        apply.edit(web(), stale, p -> {
            attempts.incrementAndGet();
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        });

        assertThat(attempts).as("the patch guards only what it changes").hasValue(1);
        assertThat(pod().getMetadata().getAnnotations()).containsKey("someone").containsEntry("added", "yes");
    }

    @Test
    void aListThatMovedOnSinceTheCopyIsReadAgainAndTheChangeMadeOnTheNewVersion() {
        Pod stale = pod();
        addTolerationBehindOurBack(web());
        AtomicInteger attempts = new AtomicInteger();

        apply.edit(web(), stale, p -> {
            attempts.incrementAndGet();
            return withToleration(p, "ours");
        });

        assertThat(attempts)
                .as("on the stale copy, then on the one read after the refusal")
                .hasValue(2);
        assertThat(pod().getSpec().getTolerations())
                .extracting(Toleration::getKey)
                .contains("theirs", "ours")
                .anyMatch(key -> key.startsWith("someone-"));
    }

    @Test
    void aListThatKeepsMovingIsARefusalInTheEndAndOurChangeIsNotWritten() {
        AtomicInteger reads = new AtomicInteger();
        guardFails(Apply.ATTEMPTS);

        assertThatThrownBy(() -> apply.edit(web(), null, p -> {
                    reads.incrementAndGet();
                    return withToleration(p, "ours");
                }))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(422));
        assertThat(reads).hasValue(Apply.ATTEMPTS);
        assertThat(pod().getSpec().getTolerations())
                .extracting(Toleration::getKey)
                .doesNotContain("ours");
    }

    @Test
    void aCopyAtHandThatIsCurrentSavesTheRead() {
        Pod known = pod();
        int requests = cluster.requestCount();

        apply.edit(web(), known, p -> {
            p.getMetadata().getAnnotations().put("added", "yes");
            return p;
        });

        assertThat(cluster.requestCount() - requests).as("only the write").isEqualTo(1);
        assertThat(pod().getMetadata().getAnnotations())
                .containsEntry("keep", "me")
                .containsEntry("added", "yes");
        assertThat(known.getMetadata().getAnnotations())
                .as("the copy at hand is not changed")
                .doesNotContainKey("added");
    }

    @Test
    void aChangeThatChangesNothingWritesNothing() {
        Pod before = pod();
        int requests = cluster.requestCount();

        var result = apply.edit(web(), null, p -> {
            p.getMetadata().getAnnotations().put("keep", "me");
            return p;
        });

        assertThat(cluster.requestCount() - requests).as("only the read").isEqualTo(1);
        assertThat(result.outcome()).isEqualTo(Apply.Outcome.UNCHANGED);
        assertThat(pod().getMetadata().getResourceVersion())
                .isEqualTo(before.getMetadata().getResourceVersion());
    }

    @Test
    void aMissingObjectIsNothingAndNothingIsWritten() {
        var result = apply.edit(client.pods().inNamespace("tenant").withName("gone"), null, p -> {
            throw new AssertionError("no change is made to what does not exist");
        });
        assertThat(result.object()).isNull();
        assertThat(result.wrote()).isFalse();
    }

    @Test
    void creatingWhatExistsLeavesItOrMakesItAsDesired() {
        Pod desired = new PodBuilder(pod())
                .editMetadata()
                .withResourceVersion(null)
                .addToLabels("app", "web")
                .endMetadata()
                .build();

        assertThat(apply.createIfAbsent(web(), desired).outcome()).isEqualTo(Apply.Outcome.UNCHANGED);
        assertThat(pod().getMetadata().getLabels()).isNullOrEmpty();
        assertThat(apply.create(
                                web(),
                                desired,
                                existing -> new PodBuilder(existing)
                                        .editMetadata()
                                        .addToLabels("app", "web")
                                        .endMetadata()
                                        .build())
                        .outcome())
                .isEqualTo(Apply.Outcome.PATCHED);
        assertThat(pod().getMetadata().getLabels()).containsEntry("app", "web");
    }

    @Test
    void deletingWhatIsGoneIsNothing() {
        assertThat(apply.delete(web())).isTrue();
        assertThat(apply.delete(web())).isFalse();
    }

    @Test
    void theObjectKnownIsDeletedEvenAfterItChangedButNotAnotherCreatedByItsName() {
        Pod known = pod();
        changeAnnotationBehindOurBack(web());
        assertThat(apply.deleteSame(web(), known)).as("changed since the copy").isTrue();
        assertThat(pod()).isNull();

        createPodNamedWeb();
        assertThat(apply.deleteSame(web(), known))
                .as("a new pod by the same name")
                .isFalse();
        assertThat(pod()).isNotNull();
        assertThat(pod().getMetadata().getUid())
                .isNotEqualTo(known.getMetadata().getUid());
    }

    @Test
    void aDeleteOnConditionIsDecidedOnTheObjectAsItIsNow() {
        assertThat(apply.deleteIf(web(), p -> p.getMetadata().getAnnotations().containsKey("someone")))
                .isFalse();
        assertThat(pod()).isNotNull();
        changeAnnotationBehindOurBack(web());
        assertThat(apply.deleteIf(web(), p -> p.getMetadata().getAnnotations().containsKey("someone")))
                .isTrue();
        assertThat(pod()).isNull();
    }

    /**
     * The API server's answer to a patch whose test operation fails (422), for the next {@code times} patches: a list
     * that keeps moving between each read and write.
     */
    private void guardFails(int times) {
        cluster.failNext("PATCH", "/api/v1/namespaces/tenant/pods/web", times, 422, "the test operation failed");
    }

    private static Pod withToleration(Pod pod, String key) {
        var tolerations = new ArrayList<>(pod.getSpec().getTolerations());
        tolerations.add(new Toleration("NoSchedule", key, "Exists", null, null));
        pod.getSpec().setTolerations(tolerations);
        return pod;
    }

    private static void changeAnnotationBehindOurBack(PodResource web) {
        web.edit(other -> {
            other.getMetadata().getAnnotations().put("someone", "else-" + System.nanoTime());
            return other;
        });
    }

    private static void addTolerationBehindOurBack(PodResource web) {
        web.edit(other -> withToleration(other, "someone-" + System.nanoTime()));
    }

    private PodResource web() {
        return client.pods().inNamespace("tenant").withName("web");
    }

    private Pod pod() {
        return web().get();
    }
}

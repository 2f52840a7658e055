package io.maroonedpods.provisioner.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.provisioner.lifecycle.BootRecord;
import io.maroonedpods.testcluster.TestCluster;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provisioner's writes to user pods: as few as it can make, and it knows which copies show its last record. */
class PodEditsTest {
    static final String UID = "7d3f0c2a-5b1e-4f6d-9a8c-2e4b6d8f0a1c";
    static final Toleration TOLERATION = PodShape.toleration(Names.DEDICATED_TAINT, UID);

    final TestCluster cluster = TestCluster.start("team-a");
    final KubernetesClient client = cluster.client();

    @AfterEach
    void stopCluster() {
        cluster.close();
    }

    Pod created() {
        return client.pods()
                .inNamespace("team-a")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("web")
                        .withUid(UID)
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("app")
                        .withImage("nginx")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
    }

    Pod onServer() {
        return client.pods().inNamespace("team-a").withName("web").get();
    }

    @Test
    void aBootIsRecordedAndTheTolerationAddedInOneWrite() {
        Pod pod = created();
        long before = Long.parseLong(pod.getMetadata().getResourceVersion());

        new PodEdits(client).recordBoot(pod, new BootRecord(1, null, null), TOLERATION);

        Pod after = onServer();
        assertThat(PodShape.tolerates(after, TOLERATION)).isTrue();
        assertThat(BootRecord.of(after).attempts()).isEqualTo(1);
        assertThat(Long.parseLong(after.getMetadata().getResourceVersion()))
                .as("one write")
                .isEqualTo(before + 1);
    }

    @Test
    void aCopyShowsTheOwnRecordOnlyOnceItCarriesTheLastWrite() {
        Pod pod = created();
        PodEdits edits = new PodEdits(client);
        assertThat(edits.showsOwnRecord(pod))
                .as("nothing written by this process yet")
                .isTrue();

        edits.recordBoot(pod, new BootRecord(1, null, null), TOLERATION);
        assertThat(edits.showsOwnRecord(pod))
                .as("the informer's copy from before the write")
                .isFalse();
        assertThat(edits.showsOwnRecord(onServer())).isTrue();

        Pod backingOff = onServer();
        edits.record(backingOff, new BootRecord(1, Instant.parse("2026-11-25T16:00:00Z"), null));
        assertThat(edits.showsOwnRecord(backingOff)).isFalse();
        assertThat(edits.showsOwnRecord(onServer())).isTrue();

        edits.forget(pod.getMetadata().getUid());
        assertThat(edits.showsOwnRecord(pod))
                .as("the pod is gone: nothing remembered")
                .isTrue();
    }

    @Test
    void settlingAPodThatNeedsNothingWritesNothingAndKeepsItsBootRecord() {
        Pod pod = created();
        PodEdits edits = new PodEdits(client);
        edits.recordBoot(
                pod,
                new BootRecord(1, null, null),
                PodShape.toleration(Names.DEDICATED_TAINT, pod.getMetadata().getUid()));
        String booted = onServer().getMetadata().getResourceVersion();

        edits.settle(onServer(), Names.DEDICATED_TAINT, new PodAction.Settle(false));

        assertThat(onServer().getMetadata().getResourceVersion()).isEqualTo(booted);
        assertThat(onServer().getMetadata().getAnnotations()).containsEntry(Names.BOOT_ATTEMPTS_ANNOTATION, "1");
    }
}

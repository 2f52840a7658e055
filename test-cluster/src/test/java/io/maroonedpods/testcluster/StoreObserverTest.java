package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Watch;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What the store's observers are promised: every change, in its order, before any watcher hears of it. */
class StoreObserverTest {

    @Test
    void anObserverHearsOfEachChangeBeforeAnyWatcherDoes() throws InterruptedException {
        try (RunningApi api = RunningApi.start("a")) {
            Set<String> watched = ConcurrentHashMap.newKeySet();
            List<String> observed = new CopyOnWriteArrayList<>();
            api.server().front().observe((at, change) -> {
                if ("pods".equals(at.plural())) {
                    String event = change.type() + " " + change.object().name();
                    pause(); // time enough for a watcher to be told, were it told first
                    observed.add(event + (watched.contains(event) ? " (after a watcher)" : ""));
                }
            });
            try (Watch watch = api.client().pods().inNamespace("a").watch(ObjectStoreApiTest.recorder(watched))) {
                api.client().pods().inNamespace("a").resource(pod("p")).create();
                api.client()
                        .pods()
                        .inNamespace("a")
                        .withName("p")
                        .edit(p -> new PodBuilder(p)
                                .editMetadata()
                                .addToLabels("changed", "yes")
                                .endMetadata()
                                .build());
                api.client().pods().inNamespace("a").withName("p").delete();
                await().until(() -> watched.contains("DELETED p"));
            }
            assertThat(observed).containsExactly("ADDED p", "MODIFIED p", "DELETED p");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Pod pod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build();
    }
}

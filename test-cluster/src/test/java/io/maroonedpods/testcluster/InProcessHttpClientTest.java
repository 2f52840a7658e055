package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The simulator's own client, in process: what a watcher sees must be what it would see over HTTP. */
class InProcessHttpClientTest {

    @Test
    void aWatchSeesEveryObjectCreatedOverHttpOnceAndInResourceVersionOrder() throws Exception {
        try (TestCluster cluster = TestCluster.start("tenant");
                KubernetesClient simulator = cluster.server().simulatorClient()) {
            List<ConfigMap> seen = new CopyOnWriteArrayList<>();
            try (Watch watch = simulator.configMaps().inNamespace("tenant").watch(new Recorder<>(seen))) {
                ExecutorService writers = Executors.newFixedThreadPool(4);
                try {
                    CompletableFuture.allOf(IntStream.range(0, 40)
                                    .mapToObj(i -> CompletableFuture.runAsync(
                                            () -> cluster.client()
                                                    .configMaps()
                                                    .inNamespace("tenant")
                                                    .resource(configMap("c" + i))
                                                    .create(),
                                            writers))
                                    .toArray(CompletableFuture[]::new))
                            .get(30, TimeUnit.SECONDS);
                } finally {
                    writers.shutdownNow();
                }
                await().atMost(10, TimeUnit.SECONDS).until(() -> seen.size() >= 40);
            }
            assertThat(seen).hasSize(40);
            assertThat(seen.stream().map(c -> c.getMetadata().getName()).distinct())
                    .hasSize(40);
            List<Long> versions = seen.stream()
                    .map(c -> Long.parseLong(c.getMetadata().getResourceVersion()))
                    .toList();
            assertThat(versions).isSorted();
        }
    }

    @Test
    void aWatchTheServerRefusesFailsWithItsAnswerAsOverHttp() {
        try (TestCluster cluster = TestCluster.start();
                KubernetesClient simulator = cluster.server().simulatorClient()) {
            assertThatThrownBy(() -> simulator
                            .pods()
                            .inAnyNamespace()
                            .withField("spec.containers", "x")
                            .watch(new Recorder<Pod>(new CopyOnWriteArrayList<>())))
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode())
                            .isEqualTo(400));
        }
    }

    @Test
    void aWatchFromAResourceVersionNoLongerKeptEndsWith410Gone() {
        try (ApiServer server = ApiServer.start(new FaultInjector(0, 1), Clock.systemUTC(), 2);
                KubernetesClient simulator = server.simulatorClient()) {
            simulator
                    .namespaces()
                    .resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                            .withNewMetadata()
                            .withName("tenant")
                            .endMetadata()
                            .build())
                    .create();
            for (int i = 0; i < 5; i++) {
                simulator
                        .configMaps()
                        .inNamespace("tenant")
                        .resource(configMap("c" + i))
                        .create();
            }
            CompletableFuture<WatcherException> closed = new CompletableFuture<>();
            simulator
                    .configMaps()
                    .inNamespace("tenant")
                    .withResourceVersion("1")
                    .watch(new Watcher<>() {
                        @Override
                        public void eventReceived(Action action, ConfigMap configMap) {}

                        @Override
                        public void onClose(WatcherException cause) {
                            closed.complete(cause);
                        }
                    });
            await().atMost(10, TimeUnit.SECONDS).until(closed::isDone);
            assertThat(closed.join().isHttpGone()).isTrue();
        }
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData("k", name)
                .build();
    }

    /** Keeps what a watch ADDED, in the order it arrived; pods are watched only to be refused. */
    private record Recorder<T>(List<T> seen) implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T object) {
            if (action == Action.ADDED) {
                seen.add(object);
            }
        }

        @Override
        public void onClose(WatcherException cause) {}
    }
}

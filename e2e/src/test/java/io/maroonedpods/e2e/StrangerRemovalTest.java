package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Refusals;
import io.maroonedpods.e2e.support.Workloads;
import io.maroonedpods.simulator.WarmPool;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stranger that still reaches a dedicated node is removed (issue 17, item 2), on a real control plane with the
 * shipped provisioner. Admission cannot refuse these: a pod bound before the policies existed, or by an identity the
 * policy trusts — here the maroon scheduler's own ServiceAccount, as a compromised or buggy binder would. The suite's
 * kubelets confirm a deletion at once, as a kubelet whose containers stopped does; a node without a kubelet leaves a
 * gracefully deleted pod Terminating for its whole grace period.
 */
@ExtendWith(RealClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrangerRemovalTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final long HOUR = 3600;

    private ControlPlane plane;
    private Installation install;
    private KubernetesClient admin;
    private KubernetesClient binder;
    private Pod lingering;
    private String node;

    @BeforeAll
    void aStrangerTerminatesSlowlyBeforeTheProvisionerStartsThenAMaroonedPodRunsOnItsNode(ControlPlane plane) {
        this.plane = plane;
        install = Installation.install(plane, "secondary-scheduler");
        admin = plane.adminClient();
        binder = plane.serviceAccountIdentity("maroonedpods-system", "maroon-scheduler")
                .client();
        // Bound to a node named like a VM that has no kubelet, then deleted with an hour's grace: it would stay there.
        lingering =
                bound(stranger("lingering"), Names.nodeName(UUID.randomUUID().toString()));
        admin.resource(lingering).delete();
        assertThat(admin.resource(lingering).get().getMetadata().getDeletionTimestamp())
                .as("terminating")
                .isNotNull();

        install.withVirtualization(1)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler();
        admin.resource(Workloads.pod("owner")
                        .editSpec()
                        .withSchedulerName(Names.SCHEDULER_NAME)
                        .endSpec()
                        .build())
                .create();
        install.await(
                "the marooned pod bound",
                Duration.ofSeconds(120),
                () -> install.timeline().boundCount() >= 1);
        node = admin.pods()
                .inNamespace(Installation.TENANT)
                .withName("owner")
                .get()
                .getSpec()
                .getNodeName();
    }

    @AfterAll
    void stop() {
        if (binder != null) {
            binder.close();
        }
        if (install != null) {
            install.close();
        }
    }

    @Test
    void aTerminatingStrangerWithAHugeGracePeriodIsForceDeleted() {
        install.await(
                "the lingering stranger gone",
                Duration.ofSeconds(60),
                () -> admin.resource(lingering).get() == null);
        assertThat(notes(lingering)).anySatisfy(n -> assertThat(n).contains("grace period 0"));
    }

    @Test
    void aStrangerBoundToADedicatedNodeIsRemovedWithinASecond() throws Exception {
        Pod stranger = admin.resource(stranger("intruder")).create();

        Duration took = timeToRemoval(stranger, () -> Refusals.bind(binder, stranger, node));

        assertThat(took).as("from the Binding to the pod's deletion").isLessThan(WITHIN);
        install.await(
                "Warnings on both pods",
                Duration.ofSeconds(30),
                () -> !notes(stranger).isEmpty()
                        && notes(admin.pods()
                                        .inNamespace(Installation.TENANT)
                                        .withName("owner")
                                        .get())
                                .stream()
                                .anyMatch(n -> n.contains("tenant/intruder")));
        assertThat(notes(stranger))
                .anySatisfy(n -> assertThat(n).contains("removed from node " + node, "dedicated to pod tenant/owner"));
        assertThat(provisionerMetrics())
                .contains("maroonedpods_provisioner_strangers_removed_total{node=\"dedicated\"}");
        System.out.printf("stranger on a dedicated node removed %d ms after its Binding was sent%n", took.toMillis());
    }

    @Test
    void aStrangerOnAWarmPoolNodeGetsThatVmDestroyedAndItIsNeverClaimed() throws Exception {
        WarmPool pool = new WarmPool(admin, EffectiveConfig.defaults().vmNamespace());
        pool.size(1);
        install.await("a pool VM available", Duration.ofSeconds(120), () -> pool.available() >= 1);
        String poolNode = poolVmis().iterator().next();
        Pod stranger = admin.resource(stranger("squatter")).create();

        Duration took = timeToRemoval(stranger, () -> Refusals.bind(binder, stranger, poolNode));

        assertThat(took).isLessThan(WITHIN);
        install.await(
                "the pool VM destroyed and another one available",
                Duration.ofSeconds(120),
                () -> !poolVmis().contains(poolNode) && pool.available() >= 1);
        admin.resource(Workloads.pod("claimer")
                        .editSpec()
                        .withSchedulerName(Names.SCHEDULER_NAME)
                        .endSpec()
                        .build())
                .create();
        install.await(
                "the claimer bound",
                Duration.ofSeconds(120),
                () -> install.timeline().boundCount() >= 2);
        assertThat(admin.pods()
                        .inNamespace(Installation.TENANT)
                        .withName("claimer")
                        .get()
                        .getSpec()
                        .getNodeName())
                .startsWith(Names.POOL_NODE_PREFIX)
                .isNotEqualTo(poolNode);
        pool.size(0);
    }

    /** Runs {@code bind} and returns how long after it started the pod's deletion was seen. */
    private Duration timeToRemoval(Pod pod, Runnable bind) throws InterruptedException {
        CountDownLatch deleted = new CountDownLatch(1);
        long[] deletedAt = new long[1];
        try (Watch ignored = admin.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .watch(new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, Pod seen) {
                        if (action == Action.DELETED) {
                            deletedAt[0] = System.nanoTime();
                            deleted.countDown();
                        }
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                })) {
            long start = System.nanoTime();
            bind.run();
            assertThat(deleted.await(30, TimeUnit.SECONDS))
                    .as("the stranger was deleted")
                    .isTrue();
            return Duration.ofNanos(deletedAt[0] - start);
        }
    }

    /** A tenant's pod no scheduler takes (schedulerName none), which ignores SIGTERM for up to an hour. */
    private static Pod stranger(String name) {
        return Workloads.pod(name)
                .editSpec()
                .withSchedulerName("none")
                .withTerminationGracePeriodSeconds(HOUR)
                .endSpec()
                .build();
    }

    private Pod bound(Pod pod, String nodeName) {
        Pod created = admin.resource(pod).create();
        Refusals.bind(binder, created, nodeName);
        return admin.resource(created).get();
    }

    private List<String> notes(Pod pod) {
        return admin.events().v1().events().inNamespace(pod.getMetadata().getNamespace()).list().getItems().stream()
                .filter(e -> pod.getMetadata().getName().equals(e.getRegarding().getName())
                        && "IsolationViolation".equals(e.getReason()))
                .map(Event::getNote)
                .toList();
    }

    private Set<String> poolVmis() {
        return admin
                .genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(EffectiveConfig.defaults().vmNamespace())
                .list()
                .getItems()
                .stream()
                .map(v -> v.getMetadata().getName())
                .filter(n -> n.startsWith(Names.POOL_NODE_PREFIX))
                .collect(Collectors.toSet());
    }

    private String provisionerMetrics() throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + install.provisionerHealthPort() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}

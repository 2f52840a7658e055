package io.maroonedpods.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.simulator.ClusterInventory;
import io.maroonedpods.simulator.report.Isolation;
import io.maroonedpods.simulator.report.TokenScan;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the simulator checks after every run, checked on the real cluster: isolation, no duplicate VM, no leak. */
public final class Invariants {
    private Invariants() {}

    /**
     * Every maroon pod bound to its own node (or the pool node it claimed) and alone there, no ordinary pod on a
     * dedicated node, no pod with more than one VMI, every guest joined, and the join token in no object and no log.
     */
    public static void holdWhileBound(
            Installation install, KubernetesClient admin, Map<String, String> claimedPoolNodes) {
        List<Pod> pods = admin.pods().inAnyNamespace().list().getItems();
        assertThat(Isolation.violations(pods, claimedPoolNodes)).isEmpty();
        assertThat(install.timeline().pods())
                .allSatisfy(
                        f -> assertThat(f.vmisCreated()).as("VMIs of " + f.name).isLessThanOrEqualTo(1));
        assertThat(install.vms().bootProblems()).isEmpty();
        Map<String, String> places = new LinkedHashMap<>(
                new ClusterInventory(admin, EffectiveConfig.defaults()).objectsThatMustNotHoldTheToken());
        places.putAll(install.logs());
        assertThat(TokenScan.leaks(install.token(), places)).isEmpty();
    }

    /** Once the tenant's pods are gone, nothing the provisioner made is left (VMIs, Secrets, Nodes, node passwords). */
    public static void nothingLeftOnceThePodsAreGone(Installation install, KubernetesClient admin) {
        install.await(
                "the tenant's pods gone and everything the provisioner made removed",
                Duration.ofSeconds(90),
                () -> admin.pods()
                                .inNamespace(Installation.TENANT)
                                .list()
                                .getItems()
                                .isEmpty()
                        && new ClusterInventory(admin, EffectiveConfig.defaults())
                                .leftovers()
                                .isEmpty());
    }
}

package io.maroonedpods.simulator.workload;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.ClusterSeed;
import java.util.Map;

/** The pods a run creates (pure builders): maroon pods that opt in by scheduler name, and ordinary pods. */
public final class Workload {
    private Workload() {}

    /** {@code maroon-<i>}: opts in with {@code schedulerName: maroon-scheduler}; gated as the gated overlay would. */
    public static Pod maroonPod(int index, boolean gated) {
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName("maroon-" + index)
                .withNamespace(ClusterSeed.TENANT_NAMESPACE)
                .addToLabels("app", "isolated-job")
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(Names.SCHEDULER_NAME)
                .addNewContainer()
                .withName("job")
                .withImage("registry.example/isolated-job:1")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("512Mi")))
                .endResources()
                .endContainer()
                .endSpec();
        if (gated) {
            pod.editSpec().addNewSchedulingGate(Names.SCHEDULING_GATE).endSpec();
        }
        return pod.build();
    }

    /** {@code web-<i>}: an ordinary pod for the cluster's default scheduler. */
    public static Pod ordinaryPod(int index) {
        return new PodBuilder()
                .withNewMetadata()
                .withName("web-" + index)
                .withNamespace(ClusterSeed.TENANT_NAMESPACE)
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("registry.example/web:1")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .build();
    }
}

package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.maroonedpods.api.Names;

/** What tenants create: a Deployment of maroon pods, single pods of either kind. */
public final class Workloads {
    private Workloads() {}

    /** A Deployment whose pods opt in with the scheduler name (secondary and gated modes). */
    public static Deployment maroonDeployment(String name, int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(Installation.TENANT)
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(Names.SCHEDULER_NAME)
                .withTerminationGracePeriodSeconds(5L)
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/app:1")
                .withNewResources()
                .addToRequests("cpu", new Quantity("250m"))
                .addToRequests("memory", new Quantity("256Mi"))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** A pod that opts in with the label (main-scheduler mode). */
    public static Pod labelledMaroonPod(String name) {
        return pod(name)
                .editMetadata()
                .addToLabels(Names.OPT_IN_LABEL, "true")
                .endMetadata()
                .build();
    }

    /** An ordinary pod of the default scheduler. */
    public static PodBuilder pod(String name) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(Installation.TENANT)
                .endMetadata()
                .withNewSpec()
                .withTerminationGracePeriodSeconds(5L)
                .addNewContainer()
                .withName("app")
                .withImage("registry.example/app:1")
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m"))
                .endResources()
                .endContainer()
                .endSpec();
    }
}

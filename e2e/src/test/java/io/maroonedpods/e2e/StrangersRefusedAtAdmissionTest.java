package io.maroonedpods.e2e;

import static io.maroonedpods.e2e.support.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Daemon;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.KubeScheduler;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Refusals;
import io.maroonedpods.e2e.support.Tenancy;
import io.maroonedpods.e2e.support.Workloads;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Strangers are refused at admission (issue 17, item 2), against the real kube-apiserver evaluating the policies of
 * the secondary-scheduler overlay (manifests/base/admission/), each attack made under the identity that would make
 * it: a tenant from a client certificate, a kubelet of a dedicated node, the cluster's own kube-scheduler, the
 * provisioner's ServiceAccount token. One marooned pod runs on its verified node throughout, bound the legitimate way.
 */
@ExtendWith(RealClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrangersRefusedAtAdmissionTest {
    private static final String WORKER = Installation.HOSTS.get(0);

    private ControlPlane plane;
    private Installation install;
    private KubernetesClient admin;
    private KubernetesClient tenant;
    private Pod owner;
    private String node;

    @BeforeAll
    void aMaroonedPodRunsOnItsVerifiedNode(ControlPlane plane) {
        this.plane = plane;
        install = Installation.install(plane, "secondary-scheduler")
                .withVirtualization(1)
                .withProvisioner(Map.of())
                .withExtender("maroon-scheduler", "maroon-scheduler")
                .withMaroonScheduler();
        admin = plane.adminClient();
        tenant = Tenancy.tenantWhoRunsItsOwnScheduler(plane).client();
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
        owner = admin.pods().inNamespace(Installation.TENANT).withName("owner").get();
        node = owner.getSpec().getNodeName();
        assertThat(node).isEqualTo(Names.nodeName(owner.getMetadata().getUid()));
    }

    @AfterAll
    void stop() {
        if (tenant != null) {
            tenant.close();
        }
        if (install != null) {
            install.close();
        }
    }

    @Test
    void aPodCreatedWithTheNodeNameOfADedicatedNodeIsRefused() {
        String why = "spec.nodeName: " + node + " is a MaroonedPods dedicated VM node";
        assertRefused(() -> tenant.resource(squatter(node)).create(), "maroonedpods-dedicated-node-name", why);
        assertRefused(
                () -> tenant.resource(squatter(Names.POOL_NODE_PREFIX + "x7k2pq9w3a"))
                        .create(),
                "maroonedpods-dedicated-node-name",
                "is a MaroonedPods dedicated VM node");
        assertRefused(() -> admin.resource(squatter(node)).create(), "maroonedpods-dedicated-node-name", why);
        // The VM's own kubelet: NodeRestriction lets it create mirror pods on itself (owned by its Node); the policy
        // refuses them too.
        try (KubernetesClient kubelet = plane.nodeIdentity(node).client()) {
            Pod mirror = new PodBuilder(squatter(node))
                    .editMetadata()
                    .withName("static-" + node)
                    .addToAnnotations("kubernetes.io/config.mirror", "0123abcd")
                    .addNewOwnerReference()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(node)
                    .withController(true)
                    .withUid(admin.nodes().withName(node).get().getMetadata().getUid())
                    .endOwnerReference()
                    .endMetadata()
                    .editSpec()
                    .withAutomountServiceAccountToken(false)
                    .endSpec()
                    .build();
            assertRefused(() -> kubelet.resource(mirror).create(), "maroonedpods-dedicated-node-name", why);
        }

        Pod onAWorker = tenant.resource(squatter(WORKER)).create();
        assertThat(onAWorker.getSpec().getNodeName())
                .as("other nodes are not the policy's business")
                .isEqualTo(WORKER);
        admin.resource(onAWorker).withGracePeriod(0).delete();
    }

    @Test
    void aBindingByATenantToADedicatedNodeIsRefused() {
        Pod pending = tenant.resource(Workloads.pod("self-scheduled")
                        .editSpec()
                        .withSchedulerName("tenant-scheduler")
                        .endSpec()
                        .build())
                .create();
        String why = "only system:serviceaccount:maroonedpods-system:maroon-scheduler may bind pods to MaroonedPods"
                + " dedicated VM nodes, not " + Tenancy.TENANT_USER;
        assertRefused(() -> Refusals.bind(tenant, pending, node), "maroonedpods-dedicated-node-bindings", why);
        assertRefused(
                () -> Refusals.bindThroughSubresource(
                        plane, Tenancy.tenantWhoRunsItsOwnScheduler(plane), pending, node),
                "maroonedpods-dedicated-node-bindings",
                why);
        // The cluster's default scheduler binds nothing to a dedicated node in this mode either.
        try (KubernetesClient scheduler = plane.schedulerIdentity().client()) {
            assertRefused(
                    () -> Refusals.bind(scheduler, pending, node),
                    "maroonedpods-dedicated-node-bindings",
                    "not system:kube-scheduler");
        }

        Refusals.bind(tenant, pending, WORKER);
        assertThat(admin.resource(pending).get().getSpec().getNodeName())
                .as("other nodes are not the policy's business")
                .isEqualTo(WORKER);
        admin.resource(pending).withGracePeriod(0).delete();
    }

    @Test
    void theDefaultSchedulerCannotBindAWildcardTolerationPodToADedicatedNode() {
        // The attack of issue 17: a pod that tolerates every taint, aimed at the dedicated node by node affinity.
        Pod wildcard = tenant.resource(Workloads.pod("wildcard")
                        .editSpec()
                        .addNewToleration()
                        .withOperator("Exists")
                        .endToleration()
                        .withNewAffinity()
                        .withNewNodeAffinity()
                        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .addNewNodeSelectorTerm()
                        .addNewMatchField()
                        .withKey("metadata.name")
                        .withOperator("In")
                        .withValues(node)
                        .endMatchField()
                        .endNodeSelectorTerm()
                        .endRequiredDuringSchedulingIgnoredDuringExecution()
                        .endNodeAffinity()
                        .endAffinity()
                        .endSpec()
                        .build())
                .create();
        try (Daemon scheduler =
                KubeScheduler.start(plane, "default-scheduler", """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                leaderElection:
                  leaderElect: false
                """, plane.schedulerIdentity(), c -> c)) {
            install.await(
                    "the default scheduler's bind refused",
                    Duration.ofSeconds(60),
                    () -> Refusals.schedulingFailures(admin, wildcard).stream()
                            .anyMatch(m -> m.contains("maroonedpods-dedicated-node-bindings")));
            assertThat(admin.resource(wildcard).get().getSpec().getNodeName())
                    .as("still unbound")
                    .isNull();
        } finally {
            admin.resource(wildcard).withGracePeriod(0).delete();
        }
    }

    @Test
    void aPodThatToleratesTheDedicatedTaintWithoutOptingInIsRefused() {
        String why = "spec.tolerations: maroonedpods.io/dedicated is the taint of MaroonedPods dedicated VM nodes";
        assertRefused(
                () -> tenant.resource(tolerating(
                                "any-dedicated",
                                new Toleration("NoSchedule", Names.DEDICATED_TAINT, "Exists", null, null),
                                false))
                        .create(),
                "maroonedpods-dedicated-toleration",
                why);
        assertRefused(
                () -> tenant.resource(tolerating("the-owners-node", ownersToleration(), false))
                        .create(),
                "maroonedpods-dedicated-toleration",
                why);

        Pod optedIn = tenant.resource(tolerating("opted-in", ownersToleration(), true))
                .create();
        Pod wildcard = tenant.resource(Workloads.pod("tolerates-everything")
                        .editSpec()
                        .withSchedulerName("none")
                        .addNewToleration()
                        .withOperator("Exists")
                        .endToleration()
                        .endSpec()
                        .build())
                .create();
        assertThat(optedIn.getSpec().getTolerations())
                .as("a pod that opted in may")
                .contains(ownersToleration());
        assertThat(wildcard.getMetadata().getUid())
                .as("a wildcard toleration is admitted")
                .isNotEmpty();
        admin.resource(optedIn).withGracePeriod(0).delete();
        admin.resource(wildcard).withGracePeriod(0).delete();
    }

    @Test
    void onlyTheProvisionerAddsTheDedicatedTolerationToAnExistingPod() {
        Toleration provisioners = new Toleration(
                "NoSchedule",
                Names.DEDICATED_TAINT,
                "Equal",
                null,
                owner.getMetadata().getUid());
        assertThat(owner.getSpec().getTolerations())
                .as("the provisioner's own edit was admitted")
                .contains(provisioners);

        Pod labelled = tenant.resource(Workloads.labelledMaroonPod("label-opted-in")
                        .edit()
                        .editSpec()
                        .withSchedulerName("none")
                        .endSpec()
                        .build())
                .create();
        Pod ordinary = tenant.resource(Workloads.pod("ordinary")
                        .editSpec()
                        .withSchedulerName("none")
                        .endSpec()
                        .build())
                .create();
        String notTheProvisioner = "a maroonedpods.io/dedicated toleration is added to an existing pod only by the"
                + " MaroonedPods provisioner";
        assertRefused(
                () -> tolerate(tenant, labelled, ownTolerationOf(labelled)),
                "maroonedpods-dedicated-toleration",
                notTheProvisioner);
        try (KubernetesClient provisioner = plane.serviceAccountIdentity(
                        "maroonedpods-system", "maroonedpods-provisioner")
                .client()) {
            assertRefused(
                    () -> tolerate(provisioner, labelled, ownersToleration()),
                    "maroonedpods-dedicated-toleration",
                    "only the one of the pod's own node to a pod that opted in");
            assertRefused(
                    () -> tolerate(provisioner, ordinary, ownTolerationOf(ordinary)),
                    "maroonedpods-dedicated-toleration",
                    "only the one of the pod's own node to a pod that opted in");
            assertThat(tolerate(provisioner, labelled, ownTolerationOf(labelled))
                            .getSpec()
                            .getTolerations())
                    .contains(ownTolerationOf(labelled));
        }
        admin.resource(labelled).withGracePeriod(0).delete();
        admin.resource(ordinary).withGracePeriod(0).delete();
    }

    @Test
    void theProvisionerDeletesOnlyPodsOnDedicatedNodes() {
        Pod elsewhere = tenant.resource(squatter(WORKER)
                        .edit()
                        .editMetadata()
                        .withName("elsewhere")
                        .endMetadata()
                        .build())
                .create();
        try (KubernetesClient provisioner = plane.serviceAccountIdentity(
                        "maroonedpods-system", "maroonedpods-provisioner")
                .client()) {
            assertRefused(
                    () -> provisioner.resource(elsewhere).withGracePeriod(0).delete(),
                    "maroonedpods-provisioner-pod-deletes",
                    "the MaroonedPods provisioner may delete only pods bound to a dedicated VM node");
        }
        admin.resource(elsewhere).withGracePeriod(0).delete();
    }

    private Toleration ownersToleration() {
        return ownTolerationOf(owner);
    }

    private static Toleration ownTolerationOf(Pod pod) {
        return new Toleration(
                "NoSchedule",
                Names.DEDICATED_TAINT,
                "Equal",
                null,
                pod.getMetadata().getUid());
    }

    private static Pod squatter(String nodeName) {
        return Workloads.pod("squatter")
                .editSpec()
                .withNodeName(nodeName)
                .endSpec()
                .build();
    }

    /** A pod nobody schedules (schedulerName none) with one toleration; opted in by the label, or not. */
    private static Pod tolerating(String name, Toleration toleration, boolean optedIn) {
        PodBuilder pod = Workloads.pod(name)
                .editSpec()
                .withSchedulerName("none")
                .addToTolerations(toleration)
                .endSpec();
        if (optedIn) {
            pod.editMetadata().addToLabels(Names.OPT_IN_LABEL, "true").endMetadata();
        }
        return pod.build();
    }

    private static Pod tolerate(KubernetesClient as, Pod pod, Toleration toleration) {
        return as.pods()
                .inNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .edit(p -> new PodBuilder(p)
                        .editSpec()
                        .addToTolerations(toleration)
                        .endSpec()
                        .build());
    }
}

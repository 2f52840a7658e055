package io.maroonedpods.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.TestCluster;
import io.maroonedpods.testcluster.kubevirt.SimulatedKubeVirt;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ledger and the timeline, fed by the simulated API server's store as the components' writes change it. */
class StoredChangesTest {
    private static final String UID = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0a";

    private TestCluster cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        cluster = TestCluster.start("t");
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void createVmi(String name, String podUid) {
        GenericKubernetesResource vmi = new GenericKubernetesResourceBuilder()
                .withApiVersion("kubevirt.io/v1")
                .withKind("VirtualMachineInstance")
                .withNewMetadata()
                .withName(name)
                .withNamespace(Names.DEFAULT_VMI_NAMESPACE)
                .addToLabels(Names.POD_UID_LABEL, podUid)
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("domain", Map.of())))
                .build();
        client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(Names.DEFAULT_VMI_NAMESPACE)
                .resource(vmi)
                .create();
    }

    private void deleteVmi(String name) {
        client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(Names.DEFAULT_VMI_NAMESPACE)
                .withName(name)
                .delete();
    }

    private String createPod(String name, String scheduler) {
        return client.pods()
                .inNamespace("t")
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .endMetadata()
                        .withNewSpec()
                        .withSchedulerName(scheduler)
                        .addNewContainer()
                        .withName("c")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .build())
                .create()
                .getMetadata()
                .getUid();
    }

    private void createNode(String name, Map<String, String> labels) {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    private void labelNode(String name, String key, String value) {
        client.nodes()
                .withName(name)
                .edit(node -> new NodeBuilder(node)
                        .editMetadata()
                        .addToLabels(key, value)
                        .endMetadata()
                        .build());
    }

    private void bind(String pod, String node) {
        client.bindings()
                .inNamespace("t")
                .resource(TestCluster.binding(pod, node))
                .create();
    }

    @Test
    void aSecondVmiForAPodWhoseFirstStillExistsIsADuplicateButARetryIsNot() {
        VmiLedger ledger = new VmiLedger();
        cluster.server().front().observe(ledger);

        createVmi("maroon-a", UID);
        deleteVmi("maroon-a");
        createVmi("maroon-a", UID);
        assertThat(ledger.duplicates()).isZero();

        createVmi("maroon-a-2", UID);
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.created()).isEqualTo(3);
        assertThat(ledger.deleted()).isEqualTo(1);
    }

    @Test
    void writesOfOtherResourcesAreNotCounted() {
        VmiLedger ledger = new VmiLedger();
        cluster.server().front().observe(ledger);
        client.secrets()
                .inNamespace(Names.DEFAULT_VMI_NAMESPACE)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("maroon-a-userdata")
                        .addToLabels(Names.POD_UID_LABEL, UID)
                        .endMetadata()
                        .build())
                .create();
        assertThat(ledger.created()).isZero();
    }

    @Test
    void theTimelineTakesEachMilestoneFromTheChangeThatMakesIt() {
        long[] millis = {0};
        Timeline timeline = new Timeline(() -> millis[0]);
        cluster.server().front().observe(timeline);

        String uid = createPod("m", Names.SCHEDULER_NAME);
        createPod("ordinary", "default-scheduler");
        millis[0] = 500;
        createVmi(Names.nodeName(uid), uid);
        millis[0] = 1000;
        createNode("n", Map.of(Names.POD_UID_LABEL, uid));
        millis[0] = 1040;
        labelNode("n", Names.VERIFIED_POD_UID_LABEL, uid);
        millis[0] = 1200;
        bind("m", "n");
        bind("ordinary", "w");
        millis[0] = 2000;
        labelNode("n", "later", "change");

        assertThat(timeline.pods()).singleElement().satisfies(pod -> {
            assertThat(pod.name()).isEqualTo("m");
            assertThat(pod.created()).isEqualTo(0.0);
            assertThat(pod.vmiCreated()).isEqualTo(0.5);
            assertThat(pod.nodeRegistered()).isEqualTo(1.0);
            assertThat(pod.nodeVerified())
                    .as("the first change with the label, not a later one")
                    .isEqualTo(1.04);
            assertThat(pod.bound()).isEqualTo(1.2);
            assertThat(pod.node()).isEqualTo("n");
        });
        assertThat(Summary.verifyLatencies(timeline.pods()).get(0))
                .isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(timeline.boundCount()).isEqualTo(1);
    }

    private void failVmi(String name) {
        client.genericKubernetesResources(SimulatedKubeVirt.VMI)
                .inNamespace(Names.DEFAULT_VMI_NAMESPACE)
                .withName(name)
                .edit(
                        vmi -> { // KubeVirt's VMI has no status subresource
                            vmi.setAdditionalProperty("status", Map.of("phase", "Failed"));
                            return vmi;
                        });
    }

    private void giveUpOn(String pod) {
        client.pods()
                .inNamespace("t")
                .withName(pod)
                .edit(p -> new PodBuilder(p)
                        .editMetadata()
                        .addToAnnotations(Names.PROVISIONING_FAILED_ANNOTATION, "VMI failed after 3 boot attempt(s)")
                        .endMetadata()
                        .build());
    }

    @Test
    void aPodGivenUpOnIsAsConfiguredOnlyOnceThatManyOfItsVmsFailed() {
        GiveUps giveUps = new GiveUps();
        cluster.server().front().observe(giveUps);
        String unlucky = createPod("unlucky", Names.SCHEDULER_NAME);
        String hasty = createPod("hasty", Names.SCHEDULER_NAME);
        for (int attempt = 1; attempt <= 3; attempt++) {
            createVmi("maroon-unlucky-" + attempt, unlucky);
            failVmi("maroon-unlucky-" + attempt);
            failVmi("maroon-unlucky-" + attempt); // the same failure written again counts once
        }
        createVmi("maroon-hasty", hasty);
        failVmi("maroon-hasty");

        giveUpOn("unlucky");
        giveUpOn("hasty");

        assertThat(giveUps.count()).isEqualTo(2);
        assertThat(giveUps.asConfigured(3)).containsExactly("t/unlucky after 3 failed VMs");
        assertThat(giveUps.unexplained(3)).containsExactly("t/hasty after 1 failed VMs");
    }
}

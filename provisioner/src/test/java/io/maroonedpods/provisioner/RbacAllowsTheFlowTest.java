package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.rbac.Authorizer;
import io.maroonedpods.api.rbac.Authorizer.Access;
import io.maroonedpods.testcluster.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every request the provisioner makes in the whole flow of a pod (leader election, boot, verification, gate, a
 * stranger removed from its node, sweep, teardown) is one its RBAC in manifests/base/rbac/provisioner.yaml allows. The API server here does not check RBAC,
 * so without this a new kind of request (a patch where an update was) would first fail in a real cluster, with 403.
 * The authorizer is shared with the extender's test (the api module's test-jar).
 */
class RbacAllowsTheFlowTest extends FlowCluster {
    static final String USER_AGENT = "maroonedpods-provisioner-under-rbac-test";
    static final Path RBAC = Path.of("..", "manifests", "base", "rbac", "provisioner.yaml");

    private KubernetesClient provisionerClient;

    @AfterEach
    void closeProvisionerClient() {
        if (provisionerClient != null) {
            provisionerClient.close();
        }
    }

    @Test
    void theProvisionersRequestsInAPodsWholeFlowAreAllGranted() throws Exception {
        provisionerClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration())
                        .withUserAgent(USER_AGENT)
                        .build())
                .build();
        // Leader election on and the pods watched by scheduler name, as deployed.
        startProvisioner(
                ProvisionerConfig.defaults().toBuilder()
                        .healthPort(-1)
                        .clock(clock)
                        .sweepInterval(Duration.ofSeconds(1))
                        .build(),
                provisionerClient);
        Pod pod = createPod(new PodBuilder(ProvisioningFlowTest.podTemplate("web"))
                .editSpec()
                .addNewSchedulingGate()
                .withName(Names.SCHEDULING_GATE)
                .endSchedulingGate()
                .endSpec()
                .build());
        String uid = pod.getMetadata().getUid();
        awaitRunningVmi(pod);
        agent.register(uid);
        await().atMost(PATIENCE)
                .until(() -> uid.equals(node(pod).getMetadata().getLabels().get(Names.VERIFIED_POD_UID_LABEL)));
        agent.markReady(uid);
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(pod(pod).getSpec().getSchedulingGates()).isEmpty());
        Pod stranger = createPod(
                IsolationGuardTest.stranger("stranger", Names.nodeName(uid)).build());
        await().atMost(PATIENCE).until(() -> pod(stranger) == null);
        client.pods().resource(pod).delete();
        await().atMost(PATIENCE).until(() -> vmi(pod) == null && node(pod) == null);

        List<Access> made = provisionerRequests();

        assertThat(made)
                .extracting(Access::toString)
                .as("the flow was seen")
                .contains(
                        "patch nodes " + Names.nodeName(uid),
                        "create kubevirt.io/virtualmachineinstances in " + VM_NS,
                        "delete pods in team-b stranger");
        assertThat(Authorizer.of(RBAC).refused(made))
                .as("requests the provisioner's RBAC does not allow")
                .isEmpty();
    }

    private List<Access> provisionerRequests() {
        List<Access> made = new ArrayList<>();
        for (TestCluster.Request request : cluster.requestsFrom(USER_AGENT)) {
            Access access = Authorizer.access(request.method(), request.path());
            if (access != null) {
                made.add(access);
            }
        }
        return made;
    }
}

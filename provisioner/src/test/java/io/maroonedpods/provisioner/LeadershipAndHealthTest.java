package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.kubevirt.KubeVirt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeadershipAndHealthTest extends FlowCluster {

    @Test
    void oneOfTwoReplicasLeadsAndTheOtherTakesOverWhenItStops() {
        ProvisionerConfig.Builder replicas =
                testConfig().toBuilder().leaderElection(true).leaseDuration(Duration.ofSeconds(3));
        Provisioner a = startProvisioner(replicas.identity("replica-a").build());
        Provisioner b = startProvisioner(replicas.identity("replica-b").build());
        await().atMost(PATIENCE).until(() -> a.isLeader() || b.isLeader());
        assertThat(a.isLeader() && b.isLeader()).as("never two leaders").isFalse();
        Provisioner leader = a.isLeader() ? a : b;
        Provisioner standby = leader == a ? b : a;
        assertThat(client.leases()
                        .inNamespace("maroonedpods-system")
                        .withName(Names.PROVISIONER_LEASE)
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isIn("replica-a", "replica-b");
        Pod before = createPod("before");
        awaitRunningVmi(before);

        leader.close();

        await().atMost(PATIENCE).until(standby::isLeader);
        Pod after = createPod("after");
        awaitRunningVmi(after);
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems()).hasSize(2);
    }

    @Test
    void healthAndMetricsAreServedOnTheHealthPort() throws Exception {
        Provisioner provisioner =
                startProvisioner(testConfig().toBuilder().healthPort(0).build());
        Pod pod = createPod("web");
        awaitRunningVmi(pod);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + provisioner.healthPort();

        assertThat(get(http, base + "/livez").statusCode()).isEqualTo(200);
        await().atMost(PATIENCE).until(() -> get(http, base + "/readyz").statusCode() == 200);
        HttpResponse<String> metrics = get(http, base + "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("maroonedpods_provisioner_pod_to_vmi_created_seconds_count")
                .contains("operator_sdk");

        provisioner.close();
        assertThatThrownBy(() -> get(http, base + "/livez")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void afterCloseNothingIsReconciledAndANewProvisionerTakesOver() throws InterruptedException {
        Provisioner first =
                startProvisioner(testConfig().toBuilder().healthPort(0).build());
        awaitRunningVmi(createPod("before"));
        first.close();
        Pod pod = createPod("web");
        Thread.sleep(1500);
        assertThat(vmi(pod)).as("a closed provisioner does nothing").isNull();
        assertThat(first.isLeader()).isFalse();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                        .extracting(Thread::getName)
                        .as("threads of the closed provisioner and its controllers")
                        .noneMatch(name -> name.startsWith("provisioner-") || name.startsWith("ReconcilerExecutor-")));

        startProvisioner();

        awaitRunningVmi(pod);
    }

    @Test
    void anInvalidConfigurationIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Provisioner.start(
                        testConfig().toBuilder().reconcileThreads(0).build(), client))
                .hasMessageContaining("reconcileThreads: must be >= 1, got 0");
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(2))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.BootstrapToken;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A provisioner that stops (a rolling update, a drained node: SIGTERM) while it boots a VM finishes that boot's writes
 * before it lets the Lease go, instead of leaving the next leader a VMI without its credentials to wait on.
 */
class StopTest extends FlowCluster {

    @Test
    void aStopWaitsForTheBootUnderWayToWriteItsCredentials() throws InterruptedException {
        CountDownLatch tokenOnTheWay = new CountDownLatch(1);
        cluster.server().front().observeRequests(request -> {
            if ("POST".equals(request.method())
                    && request.rawPath().startsWith("/api/v1/namespaces/" + BootstrapToken.NAMESPACE + "/secrets")) {
                tokenOnTheWay.countDown();
                sleep(500); // the token's create is under way while the provisioner is told to stop
            }
        });
        Provisioner provisioner = startProvisioner();
        Pod pod = createPod("web");
        assertThat(tokenOnTheWay.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        provisioner.close();

        assertThat(client.secrets()
                        .inNamespace(VM_NS)
                        .withName(Names.userdataSecretName(
                                Names.nodeName(pod.getMetadata().getUid())))
                        .get())
                .as("the VM's userdata Secret, the boot's last write")
                .isNotNull();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The part of a kubelet the control plane sees, under the node's own {@code system:node:<name>} identity (so the Node
 * authorizer and NodeRestriction judge every request): the node Lease renewed every 10 s (the node lifecycle
 * controller's heartbeat), each pod bound to the node reported Running, and each pod being deleted confirmed (deleted
 * with grace period 0, as a kubelet does once its containers stopped). Stops by itself once its Node is gone.
 */
public final class Kubelet implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Kubelet.class.getName());
    private static final int LEASE_SECONDS = 40;

    private final String nodeName;
    private final KubernetesClient client;
    private final SharedIndexInformer<Pod> pods;
    private final ScheduledFuture<?> heartbeat;

    private Kubelet(String nodeName, KubernetesClient client, ScheduledExecutorService timers) {
        this.nodeName = nodeName;
        this.client = client;
        this.pods = client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", nodeName)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(Pod pod) {
                                handle(pod);
                            }

                            @Override
                            public void onUpdate(Pod oldPod, Pod pod) {
                                handle(pod);
                            }

                            @Override
                            public void onDelete(Pod pod, boolean unknown) {}
                        },
                        0);
        this.heartbeat = timers.scheduleWithFixedDelay(this::renewLease, 0, 10, TimeUnit.SECONDS);
    }

    /** A kubelet for a node that registers itself (a VM's: the simulated node boot creates its Node). */
    public static Kubelet start(String nodeName, KubernetesClient client, ScheduledExecutorService timers) {
        return new Kubelet(nodeName, client, timers);
    }

    /** Registers an ordinary worker node, Ready, and runs its kubelet. */
    public static Kubelet worker(
            String nodeName, String address, KubernetesClient client, ScheduledExecutorService timers) {
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(nodeName)
                        .addToLabels("kubernetes.io/hostname", nodeName)
                        .addToLabels("kubernetes.io/os", "linux")
                        .endMetadata()
                        .withStatus(new NodeStatusBuilder(ReadyNodes.status("8", "32Gi", 110, Instant.now()))
                                .addNewAddress()
                                .withType("InternalIP")
                                .withAddress(address)
                                .endAddress()
                                .withNewNodeInfo()
                                .withKubeletVersion("v1.34.9")
                                .withOperatingSystem("linux")
                                .withArchitecture("amd64")
                                .endNodeInfo()
                                .build())
                        .build())
                .create();
        return new Kubelet(nodeName, client, timers);
    }

    KubernetesClient client() {
        return client;
    }

    private void handle(Pod pod) {
        try {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                client.pods()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .withName(pod.getMetadata().getName())
                        .withGracePeriod(0)
                        .delete();
            } else if (pod.getStatus() == null
                    || !"Running".equals(pod.getStatus().getPhase())) {
                String now = timestamp();
                client.pods()
                        .inNamespace(pod.getMetadata().getNamespace())
                        .resource(new PodBuilder(pod)
                                .editOrNewStatus()
                                .withPhase("Running")
                                .withStartTime(now)
                                .addNewCondition()
                                .withType("Ready")
                                .withStatus("True")
                                .withLastTransitionTime(now)
                                .endCondition()
                                .endStatus()
                                .build())
                        .updateStatus();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                LOG.warning("kubelet " + nodeName + ": pod " + pod.getMetadata().getName() + ": " + e.getMessage());
            }
        }
    }

    private void renewLease() {
        try {
            Node node = client.nodes().withName(nodeName).get();
            if (node == null) {
                return; // not registered yet, or deleted: a deleted node's lease goes with it (owner reference)
            }
            Lease lease = new LeaseBuilder()
                    .withNewMetadata()
                    .withName(nodeName)
                    .withNamespace("kube-node-lease")
                    .addNewOwnerReference()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(nodeName)
                    .withUid(node.getMetadata().getUid())
                    .endOwnerReference()
                    .endMetadata()
                    .withNewSpec()
                    .withHolderIdentity(nodeName)
                    .withLeaseDurationSeconds(LEASE_SECONDS)
                    .withRenewTime(ZonedDateTime.now().truncatedTo(ChronoUnit.MICROS))
                    .endSpec()
                    .build();
            client.leases().inNamespace("kube-node-lease").resource(lease).createOr(l -> l.update());
        } catch (KubernetesClientException e) {
            LOG.fine("kubelet " + nodeName + ": lease: " + e.getMessage());
        }
    }

    private static String timestamp() {
        return java.time.Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        pods.close();
        client.close();
    }
}

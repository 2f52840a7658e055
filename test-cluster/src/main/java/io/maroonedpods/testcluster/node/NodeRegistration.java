package io.maroonedpods.testcluster.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.NodeIdentity;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node a VM's k3s agent registers, as pure functions: the name, labels and taint the boot script renders from
 * the join info ({@link NodeIdentity}), the kubelet's own labels, the not-ready taint the kubelet registers with,
 * InternalIP = the VM's address (k3s {@code node-ip}), systemUUID = the VM's SMBIOS (firmware) UUID.
 */
public final class NodeRegistration {
    public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";
    public static final String KUBELET_VERSION = "v1.32.5+k3s1";

    private NodeRegistration() {}

    /** What the agent's kubelet creates at registration: NotReady, with the not-ready taint. */
    public static Node registered(
            JoinInfo join, String internalIp, String systemUuid, String cpu, String memory, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>(NodeIdentity.selfLabels(join));
        labels.put("kubernetes.io/hostname", join.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", "amd64");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", "amd64");
        labels.put("node.kubernetes.io/instance-type", "k3s");
        Map<String, Quantity> capacity =
                Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory), "pods", new Quantity("110"));
        return new NodeBuilder()
                .withNewMetadata()
                .withName(join.nodeName())
                .withLabels(labels)
                .addToAnnotations("k3s.io/node-args", "[\"agent\",\"--node-name\",\"" + join.nodeName() + "\"]")
                .addToAnnotations("k3s.io/internal-ip", internalIp)
                .endMetadata()
                .withNewSpec()
                .withTaints(NodeIdentity.registrationTaint(join), new Taint("NoSchedule", NOT_READY_TAINT, null, null))
                .endSpec()
                .withNewStatus()
                .addNewAddress()
                .withType("InternalIP")
                .withAddress(internalIp)
                .endAddress()
                .addNewAddress()
                .withType("Hostname")
                .withAddress(join.nodeName())
                .endAddress()
                .withCapacity(capacity)
                .withAllocatable(capacity)
                .withConditions(ready(false, now))
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint()
                .withPort(10250)
                .endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withSystemUUID(systemUuid)
                .withMachineID(systemUuid.replace("-", ""))
                .withBootID(systemUuid)
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion(KUBELET_VERSION)
                .withContainerRuntimeVersion("containerd://2.0.5-k3s1")
                .withOperatingSystem("linux")
                .withArchitecture("amd64")
                .withOsImage("CentOS Stream 10 (bootc)")
                .withKernelVersion("6.12.0")
                .endNodeInfo()
                .endStatus()
                .build();
    }

    /**
     * The same node once the kubelet reports Ready: the Ready condition True. Its taints stay: the not-ready ones are
     * the node lifecycle controller's to remove ({@code SimulatedNodeLifecycle}).
     */
    public static Node ready(Node node, Instant now) {
        List<NodeCondition> conditions = new ArrayList<>(node.getStatus().getConditions());
        conditions.removeIf(c -> "Ready".equals(c.getType()));
        conditions.add(ready(true, now));
        return new NodeBuilder(node)
                .editStatus()
                .withConditions(conditions)
                .endStatus()
                .build();
    }

    private static NodeCondition ready(boolean ready, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        return new NodeConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .withMessage(
                        ready
                                ? "kubelet is posting ready status"
                                : "container runtime network not ready: cni plugin not initialized")
                .withLastHeartbeatTime(time)
                .withLastTransitionTime(time)
                .build();
    }
}

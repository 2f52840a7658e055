package io.maroonedpods.testcluster.node;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.NodeIdentity;
import io.maroonedpods.api.Userdata;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * What happens inside a booted node VM and at the k3s server it joins: cloud-init turns the VMI's userdata Secret
 * into the join-info file, the boot script and k3s agent register the Node from it once the k3s server's supervisor
 * accepted its token and node password ({@link SimulatedSupervisor}), and the kubelet turns Ready after a delay. The
 * k3s server acts with the
 * server's client; the node's kubelet with its own ({@code kubelets}: in a real cluster a {@code system:node:<name>}
 * identity, which may create its own Node and post its status but not change its taints).
 */
public final class SimulatedNodeBoot {
    private static final Logger LOG = Logger.getLogger(SimulatedNodeBoot.class.getName());

    private final KubernetesClient client;
    private final Function<String, KubernetesClient> kubelets;
    private final SimulatedSupervisor supervisor;
    private final Duration readyDelay;
    private final ScheduledExecutorService timers;
    private final Clock clock;

    public SimulatedNodeBoot(
            KubernetesClient client,
            SimulatedSupervisor supervisor,
            Duration readyDelay,
            ScheduledExecutorService timers,
            Clock clock) {
        this(client, name -> client, supervisor, readyDelay, timers, clock);
    }

    public SimulatedNodeBoot(
            KubernetesClient client,
            Function<String, KubernetesClient> kubelets,
            SimulatedSupervisor supervisor,
            Duration readyDelay,
            ScheduledExecutorService timers,
            Clock clock) {
        this.client = client;
        this.kubelets = kubelets;
        this.supervisor = supervisor;
        this.readyDelay = readyDelay;
        this.timers = timers;
        this.clock = clock;
    }

    /**
     * Boots the guest of a Running VMI: registers its Node, or says why the guest could not join (the VM then just
     * sits there, as a real one would). Never mentions a credential. On the node LAN the node registers the
     * address of the NIC the join info names by its MAC, as the boot script does; {@code internalIp} otherwise.
     */
    public Optional<String> boot(GenericKubernetesResource vmi, String internalIp) {
        return boot(vmi, internalIp, Map.of());
    }

    /**
     * The same, with the Secret volumes virt-launcher already mounted (by name): cloud-init reads the user data from
     * the mounted volume, as in the VM, not from the API server again. A Secret not among them is read.
     */
    public Optional<String> boot(GenericKubernetesResource vmi, String internalIp, Map<String, Secret> mounted) {
        String namespace = vmi.getMetadata().getNamespace();
        Optional<String> secretName = CloudInit.userdataSecretName(vmi);
        if (secretName.isEmpty()) {
            return Optional.of("the VMI has no cloudInitNoCloud/cloudInitConfigDrive secretRef");
        }
        Secret secret = mounted.containsKey(secretName.get())
                ? mounted.get(secretName.get())
                : client.secrets()
                        .inNamespace(namespace)
                        .withName(secretName.get())
                        .get();
        if (secret == null) {
            return Optional.of("cloud-init Secret " + namespace + "/" + secretName.get() + " does not exist");
        }
        JoinInfo join;
        try {
            join = JoinInfo.parse(Userdata.joinInfoFile(CloudInit.userdata(secret)));
        } catch (IllegalArgumentException e) {
            return Optional.of("cloud-init could not write the join info: " + e.getMessage());
        }
        List<String> problems = join.problems();
        if (!problems.isEmpty()) {
            return Optional.of("the boot script refused the join info: " + String.join("; ", problems));
        }
        Optional<String> mac = NodeIdentity.registeredInterfaceMac(join);
        Optional<String> address = mac.isPresent() ? CloudInit.addressOfNic(vmi, mac.get()) : Optional.of(internalIp);
        if (address.isEmpty()) {
            return Optional.of(
                    "the boot script found no network interface with the node LAN MAC " + mac.get() + " (exit 21)");
        }
        CloudInit.Size size = CloudInit.size(vmi);
        Node node = NodeRegistration.registered(
                join, address.get(), CloudInit.firmwareUuid(vmi), size.cpu(), size.memory(), clock.instant());
        try {
            // The agent's node password is the one the boot script wrote from the join info to
            // /etc/rancher/node/password.
            Optional<String> refused = supervisor.admit(join);
            if (refused.isPresent()) {
                return refused;
            }
            kubelets.apply(join.nodeName()).nodes().resource(node).create();
        } catch (KubernetesClientException e) {
            return Optional.of("node registration failed: " + e.getStatus().getMessage());
        }
        timers.schedule(() -> turnReady(join.nodeName()), readyDelay.toMillis(), TimeUnit.MILLISECONDS);
        return Optional.empty();
    }

    /** The kubelet posts Ready through the status subresource; the taints are the node lifecycle controller's. */
    private void turnReady(String nodeName) {
        KubernetesClient kubelet = kubelets.apply(nodeName);
        for (int attempt = 0; attempt < 10; attempt++) {
            Node current = kubelet.nodes().withName(nodeName).get();
            if (current == null) {
                return;
            }
            try {
                kubelet.nodes()
                        .resource(NodeRegistration.ready(current, clock.instant()))
                        .updateStatus();
                return;
            } catch (KubernetesClientException e) {
                // A copy read before the provisioner set the restricted label, or before the node lifecycle controller
                // changed the node's taints, looks like changing them back: the real NodeRestriction plugin answers
                // that with 403 before the resourceVersion check could answer 409.
                if (e.getCode() != 409 && !staleCopy(e)) {
                    LOG.warning("node " + nodeName + " could not turn Ready: " + e.getMessage());
                    return;
                }
            }
        }
    }

    private static boolean staleCopy(KubernetesClientException e) {
        return e.getCode() == 403
                && e.getMessage() != null
                && (e.getMessage().contains("is not allowed to modify labels")
                        || e.getMessage().contains("is not allowed to modify taints"));
    }
}

package io.maroonedpods.testcluster.kubevirt;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.NodeLan;
import io.maroonedpods.testcluster.kubevirt.VmiStatus.Phase;
import io.maroonedpods.testcluster.node.SimulatedNodeBoot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * KubeVirt's part: every VMI in the VM namespace goes Pending → Scheduled → Running (with the interface its guest
 * agent reports: the pod network's address, or on the node LAN the Multus NIC's, under its network name) on the
 * {@link BootTimings}, or → Failed for a drawn share of them; once Running its guest boots through
 * {@link SimulatedNodeBoot}, or, without one, waits for a test to boot it (a test that stages what a guest or an
 * intruder sends). A deleted VMI's pending steps are cancelled (its VM is gone).
 */
public final class SimulatedKubeVirt implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SimulatedKubeVirt.class.getName());

    public static final ResourceDefinitionContext VMI = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io")
            .withVersion("v1")
            .withPlural("virtualmachineinstances")
            .withKind("VirtualMachineInstance")
            .withNamespaced(true)
            .build();

    /** The reason a failed VMI's status gives. */
    public static final String FAILURE_REASON = "simulated VM failure (--vmi-failure-rate)";

    private final KubernetesClient client;
    private final String namespace;
    private final BootTimings timings;
    private final double failureRate;
    private final Random random;
    private final List<String> hosts;
    private final SimulatedNodeBoot boot;
    private final ScheduledExecutorService timers;
    private final AtomicInteger addresses = new AtomicInteger();
    private final Map<String, List<ScheduledFuture<?>>> steps = new ConcurrentHashMap<>();
    private final List<String> bootProblems = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<GenericKubernetesResource> informer;

    /** @param boot boots a Running VMI's guest; null when the test boots guests itself */
    public SimulatedKubeVirt(
            KubernetesClient client,
            String namespace,
            BootTimings timings,
            double failureRate,
            long seed,
            List<String> hosts,
            SimulatedNodeBoot boot,
            ScheduledExecutorService timers) {
        this.client = client;
        this.namespace = namespace;
        this.timings = timings;
        this.failureRate = failureRate;
        this.random = new Random(seed);
        this.hosts = hosts;
        this.boot = boot;
        this.timers = timers;
    }

    public SimulatedKubeVirt start() {
        informer = client.genericKubernetesResources(VMI)
                .inNamespace(namespace)
                .inform(
                        new ResourceEventHandler<>() {
                            @Override
                            public void onAdd(GenericKubernetesResource vmi) {
                                created(vmi);
                            }

                            @Override
                            public void onUpdate(GenericKubernetesResource oldVmi, GenericKubernetesResource newVmi) {}

                            @Override
                            public void onDelete(GenericKubernetesResource vmi, boolean unknown) {
                                Optional.ofNullable(
                                                steps.remove(vmi.getMetadata().getUid()))
                                        .ifPresent(f -> f.forEach(s -> s.cancel(false)));
                            }
                        },
                        0);
        return this;
    }

    /** Why guests could not join, one line each (e.g. a rejected token): shown in the summary. */
    public List<String> bootProblems() {
        return List.copyOf(bootProblems);
    }

    private void created(GenericKubernetesResource vmi) {
        if (vmi.get("status", "phase") != null) {
            return;
        }
        String uid = vmi.getMetadata().getUid();
        boolean fails;
        String host;
        synchronized (random) {
            fails = random.nextDouble() < failureRate;
            host = hosts.get(random.nextInt(hosts.size()));
        }
        int n = addresses.getAndIncrement();
        Optional<String> lanMac = nodeLanMac(vmi);
        String ip = lanMac.isPresent() ? VmiStatus.lanAddress(n) : VmiStatus.guestAddress(n);
        Map<String, Object> iface = lanMac.map(mac -> VmiStatus.nodeLanInterface(NodeLan.NETWORK_NAME, mac, ip))
                .orElseGet(() -> VmiStatus.podInterface(ip));
        List<Step> plan = new ArrayList<>();
        // Written by the step threads, not by the informer's one thread that every VMI's creation goes through.
        plan.add(new Step(0, () -> setStatus(vmi, VmiStatus.patch(Phase.Pending, null, null, null))));
        plan.add(new Step(
                timings.scheduled().toMillis(),
                () -> setStatus(vmi, withFirmwareUuid(vmi, VmiStatus.patch(Phase.Scheduled, host, null, null)))));
        if (fails) {
            plan.add(new Step(
                    timings.running().toMillis(),
                    () -> setStatus(vmi, VmiStatus.patch(Phase.Failed, host, null, FAILURE_REASON))));
        } else {
            // With no time between Running and the guest's registration (boot time 0) the guest boots from the VMI
            // the Running step wrote; after a delay it reads the VMI again, which may be gone by then.
            AtomicReference<GenericKubernetesResource> running = new AtomicReference<>();
            boolean atOnce = timings.registered().equals(timings.running());
            plan.add(new Step(
                    timings.running().toMillis(),
                    () -> running.set(setStatus(vmi, VmiStatus.patch(Phase.Running, host, iface, null)))));
            if (boot != null) {
                plan.add(new Step(
                        timings.registered().toMillis(),
                        () -> bootGuest(vmi.getMetadata().getName(), uid, ip, atOnce ? running.get() : null)));
            }
        }
        steps.put(uid, new CopyOnWriteArrayList<>());
        runInOrder(uid, plan, 0, System.nanoTime());
    }

    /** The MAC of the VMI's NIC on the node LAN when its network is the Multus node-lan network. */
    static Optional<String> nodeLanMac(GenericKubernetesResource vmi) {
        Object networks = vmi.get("spec", "networks");
        Object interfaces = vmi.get("spec", "domain", "devices", "interfaces");
        if (!(networks instanceof List<?> nets) || !(interfaces instanceof List<?> ifaces)) {
            return Optional.empty();
        }
        boolean onLan = nets.stream()
                .anyMatch(n -> n instanceof Map<?, ?> m
                        && NodeLan.NETWORK_NAME.equals(m.get("name"))
                        && m.get("multus") != null);
        return onLan
                ? ifaces.stream()
                        .filter(i -> i instanceof Map<?, ?> m && NodeLan.NETWORK_NAME.equals(m.get("name")))
                        .map(i -> (String) ((Map<?, ?>) i).get("macAddress"))
                        .filter(mac -> mac != null)
                        .findFirst()
                : Optional.empty();
    }

    /** A step at a time after the VMI's creation. */
    private record Step(long atMillis, Runnable action) {}

    /** Runs the steps one after the other (never two of one VMI at once, so phases cannot overtake each other). */
    private void runInOrder(String uid, List<Step> plan, int index, long createdNanos) {
        List<ScheduledFuture<?>> planned = steps.get(uid);
        if (planned == null) {
            return;
        }
        if (index >= plan.size()) {
            steps.remove(uid);
            return;
        }
        Step step = plan.get(index);
        long delay = Math.max(0, step.atMillis() - (System.nanoTime() - createdNanos) / 1_000_000);
        planned.add(timers.schedule(
                () -> {
                    try {
                        step.action().run();
                    } catch (RuntimeException e) {
                        LOG.warning("simulated KubeVirt step failed: " + e.getMessage());
                    }
                    runInOrder(uid, plan, index + 1, createdNanos);
                },
                delay,
                TimeUnit.MILLISECONDS));
    }

    /** @param written the VMI as the Running step just wrote it, or null to read it */
    private void bootGuest(String name, String uid, String ip, GenericKubernetesResource written) {
        GenericKubernetesResource current = written != null
                ? written
                : client.genericKubernetesResources(VMI)
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
        if (current == null || !uid.equals(current.getMetadata().getUid())) {
            return;
        }
        Optional<Map<String, Secret>> mounted = secretVolumes(current);
        if (mounted.isEmpty()) {
            // virt-launcher waits for its cloud-init Secret volume: the guest starts once the Secret exists.
            timers.schedule(() -> bootGuest(name, uid, ip, null), 20, TimeUnit.MILLISECONDS);
            return;
        }
        boot.boot(current, ip, mounted.get()).ifPresent(problem -> bootProblems.add(name + ": " + problem));
    }

    /** The VMI's cloud-init Secret volumes by name, as virt-launcher mounts them; empty while one does not exist. */
    private Optional<Map<String, Secret>> secretVolumes(GenericKubernetesResource vmi) {
        Map<String, Secret> mounted = new HashMap<>();
        List<?> volumes = vmi.get("spec", "volumes") instanceof List<?> list ? list : List.of();
        for (Object volume : volumes) {
            if (volume instanceof Map<?, ?> v
                    && v.get("cloudInitNoCloud") instanceof Map<?, ?> cloudInit
                    && cloudInit.get("secretRef") instanceof Map<?, ?> ref
                    && ref.get("name") instanceof String secretName) {
                Secret secret = client.secrets()
                        .inNamespace(namespace)
                        .withName(secretName)
                        .get();
                if (secret == null) {
                    return Optional.empty();
                }
                mounted.put(secretName, secret);
            }
        }
        return Optional.of(mounted);
    }

    /** KubeVirt's mutating webhook gives every VMI a firmware UUID when it has none. */
    private static Map<String, Object> withFirmwareUuid(GenericKubernetesResource vmi, Map<String, Object> patch) {
        if (vmi.get("spec", "domain", "firmware", "uuid") == null) {
            Map<String, Object> copy = new LinkedHashMap<>(patch);
            copy.put(
                    "spec",
                    Map.of(
                            "domain",
                            Map.of(
                                    "firmware",
                                    Map.of(
                                            "uuid",
                                            UUID.nameUUIDFromBytes(vmi.getMetadata()
                                                            .getName()
                                                            .getBytes())
                                                    .toString()))));
            return copy;
        }
        return patch;
    }

    /**
     * One merge patch, no read first: the patch carries the VMI's uid, which the API server takes as a precondition,
     * so a step of a deleted VMI can never land on a new one of the same name (409); sent through the object, so the
     * client does not read it either. Returns the VMI as written, or null when it is gone.
     */
    private GenericKubernetesResource setStatus(GenericKubernetesResource vmi, Map<String, Object> patch) {
        Map<String, Object> guarded = new LinkedHashMap<>(patch);
        guarded.put("metadata", Map.of("uid", vmi.getMetadata().getUid()));
        try {
            return client.genericKubernetesResources(VMI)
                    .inNamespace(namespace)
                    .resource(vmi)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(guarded));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                LOG.warning("could not update VMI " + vmi.getMetadata().getName() + ": " + e.getMessage());
            }
            return null;
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        steps.values().forEach(f -> f.forEach(s -> s.cancel(false)));
    }
}

package io.maroonedpods.e2e.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import io.maroonedpods.testcluster.kubevirt.BootTimings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * MaroonedPods installed on a {@link ControlPlane} the way manifests/README.md says — KubeVirt's VMI CRD, then
 * {@code kubectl apply -k} of an overlay, then (two host nodes) the VMs on the node LAN — with the overlay's workloads
 * run as shipped
 * outside a kubelet: the provisioner and the extender from the packaged jars under their ServiceAccounts' tokens, and
 * kube-scheduler with the overlay's configuration. The overlay's Deployments are scaled to 0: nothing would run their
 * pods here, and the suite's processes stand in for them.
 */
public final class Installation implements AutoCloseable {
    public static final String TENANT = "tenant";
    public static final List<String> HOSTS = List.of("worker-1", "worker-2");
    /** The k3s server's address on the node LAN (the hosts' kubelets sit at 192.168.100.x). */
    public static final String LAN_SERVER_URL = "https://192.168.100.1:6443";
    /** The node LAN's NetworkAttachmentDefinition, as manifests/README.md names it. */
    public static final String NODE_LAN = "maroonedpods-nodes/node-lan";

    private final ControlPlane plane;
    private final Overlay overlay;
    private final String token = "K10" + HexFormat.of().formatHex(new SecureRandom().generateSeed(24)) + "::node:"
            + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<Daemon> daemons = new ArrayList<>();
    private final Map<String, Daemon> provisioners = new LinkedHashMap<>();
    private Shipped shipped;
    private FlowTimeline timeline;
    private FakeVirtualization vms;
    private int provisionerHealthPort;
    private int extenderPort;

    private Installation(ControlPlane plane, String overlay) {
        this.plane = plane;
        this.overlay = Overlay.of(overlay);
    }

    /**
     * Installs {@code overlay} (manifests/overlays/...); starts nothing yet. The cluster's own join token is put where
     * earlier releases told administrators to put it: the provisioner must not read it (it pins the cluster CA from its
     * own kubeconfig) and the token scan shows it in no VM.
     */
    public static Installation install(ControlPlane plane, String overlay) {
        Installation installation = new Installation(plane, overlay);
        KubernetesClient admin = plane.adminClient();
        Kubectl.run(plane.admin(), "create", "-f", plane.assets().vmiCrd().toString());
        installation.overlay.apply(plane.admin());
        Kubectl.run(plane.admin(), "-n", "maroonedpods-system", "scale", "deployment", "--all", "--replicas=0");
        EffectiveConfig defaults = EffectiveConfig.defaults();
        admin.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(EffectiveConfig.DEFAULT_TOKEN_SECRET.name())
                        .withNamespace(EffectiveConfig.DEFAULT_TOKEN_SECRET.namespace())
                        .endMetadata()
                        .addToStringData(EffectiveConfig.DEFAULT_TOKEN_SECRET.key(), installation.token)
                        .build())
                .create();
        admin.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(TENANT)
                        .endMetadata()
                        .build())
                .create();
        // kube-controller-manager gives a new namespace its default ServiceAccount a moment later, and until then the
        // ServiceAccount admission plugin refuses every pod there (serviceaccount "default" not found).
        admin.serviceAccounts()
                .inNamespace(TENANT)
                .withName("default")
                .waitUntilCondition(Objects::nonNull, 60, TimeUnit.SECONDS);
        // A host cluster of more than one node needs the VMs on the node LAN: the step of manifests/README.md.
        Kubectl.run(
                plane.admin(),
                "patch",
                "maroonedpodsconfig",
                "default",
                "--type",
                "merge",
                "-p",
                "{\"spec\": {\"nodeNetwork\": {\"networkAttachment\": \"" + NODE_LAN + "\"},"
                        + " \"join\": {\"serverURL\": \"" + LAN_SERVER_URL + "\"}}}");
        installation.shipped = Shipped.layOut(plane.dir());
        installation.timeline = installation.track(FlowTimeline.start(admin, TENANT, defaults.vmNamespace()));
        return installation;
    }

    /** Leaves the VMs on the pod network (the default config), which two host nodes cannot serve. */
    public Installation onThePodNetwork() {
        Kubectl.run(
                plane.admin(),
                "patch",
                "maroonedpodsconfig",
                "default",
                "--type",
                "json",
                "-p",
                "[{\"op\": \"remove\", \"path\": \"/spec/nodeNetwork\"},"
                        + " {\"op\": \"remove\", \"path\": \"/spec/join/serverURL\"}]");
        return this;
    }

    /** KubeVirt, the VMs' guests and kubelets, and two host nodes with kubelets of their own. */
    public Installation withVirtualization(double bootSeconds) {
        vms = track(FakeVirtualization.start(
                plane, EffectiveConfig.defaults().vmNamespace(), token, BootTimings.ofBootSeconds(bootSeconds), HOSTS));
        return this;
    }

    /** The provisioner as its Deployment runs it, with {@code overrides} added to its container's environment. */
    public Installation withProvisioner(Map<String, String> overrides) {
        return withProvisioner("maroonedpods-provisioner-e2e", "provisioner.log", overrides);
    }

    /**
     * One more replica of the provisioner, as a pod named {@code podName} of its Deployment would run it (that name is
     * its identity in the leader Lease), with {@code overrides} added to its environment.
     */
    public Installation withProvisionerReplica(String podName, Map<String, String> overrides) {
        return withProvisioner(podName, podName + ".log", overrides);
    }

    private Installation withProvisioner(String podName, String logFile, Map<String, String> overrides) {
        Map<String, String> env = new LinkedHashMap<>(overlay.env("maroonedpods-provisioner", "provisioner", podName));
        provisionerHealthPort = ControlPlane.freePort();
        env.put("MAROON_HEALTH_PORT", Integer.toString(provisionerHealthPort));
        env.putAll(overrides);
        Daemon provisioner = track(shipped.start(
                "provisioner",
                env,
                plane.serviceAccountIdentity("maroonedpods-system", "maroonedpods-provisioner"),
                plane.dir().resolve("logs/" + logFile)));
        daemons.add(provisioner);
        provisioners.put(podName, provisioner);
        return this;
    }

    /**
     * Kills the provisioner replica that holds the leader Lease at once (SIGKILL: no Lease released, no reconcile
     * finished), as a crashed pod or node would; returns its name.
     */
    public String crashTheLeader() {
        String leader = plane.adminClient()
                .leases()
                .inNamespace("maroonedpods-system")
                .withName(Names.PROVISIONER_LEASE)
                .get()
                .getSpec()
                .getHolderIdentity();
        Daemon crashed = Objects.requireNonNull(provisioners.remove(leader), "no replica named " + leader);
        daemons.remove(crashed);
        crashed.kill();
        return leader;
    }

    /** The extender as the given Deployment's container runs it, under that Deployment's ServiceAccount. */
    public Installation withExtender(String deployment, String serviceAccount) {
        return withExtender(deployment, serviceAccount, path -> path);
    }

    /**
     * The same, with the container's mounted files found where {@code mounted} says (a Secret volume's path in the
     * container → a file of the suite).
     */
    public Installation withExtender(String deployment, String serviceAccount, UnaryOperator<String> mounted) {
        Map<String, String> env = new LinkedHashMap<>();
        overlay.env(deployment, "extender", deployment + "-e2e").forEach((k, v) -> env.put(k, mounted.apply(v)));
        // A port of its own: this machine may run other extenders on the manifests' port; schedulers are told.
        extenderPort = ControlPlane.freePort();
        env.put("EXTENDER_PORT", Integer.toString(extenderPort));
        Daemon extender = track(shipped.start(
                "extender",
                env,
                plane.serviceAccountIdentity("maroonedpods-system", serviceAccount),
                plane.dir().resolve("logs/extender.log")));
        daemons.add(extender);
        String scheme = env.containsKey("EXTENDER_TLS_CERTFILE") ? "https" : "http";
        // Over TLS, the serving certificate is checked against the dedicated CA (which signs it too, see the test).
        awaitHttp(
                "the extender",
                scheme + "://127.0.0.1:" + extenderPort + "/readyz",
                env.containsKey("EXTENDER_TLS_CLIENTCAFILE") ? Path.of(env.get("EXTENDER_TLS_CLIENTCAFILE")) : null);
        return this;
    }

    /**
     * kube-scheduler with a configuration from the overlay, adjusted, under the given identity; its extender URL
     * points at the extender this installation runs (this machine's address and that extender's port).
     */
    public Installation withScheduler(
            String name, String configYaml, Kubeconfig identity, UnaryOperator<ObjectNode> adjust) {
        daemons.add(track(
                KubeScheduler.start(plane, name, configYaml, identity, config -> toOurExtender(adjust.apply(config)))));
        return this;
    }

    /** The maroon-scheduler of the secondary-scheduler overlay, as its Deployment runs it, with its sidecar. */
    public Installation withMaroonScheduler() {
        return withScheduler(
                "maroon-scheduler",
                overlay.configMapData("maroon-scheduler-config", "config.yaml"),
                plane.serviceAccountIdentity("maroonedpods-system", "maroon-scheduler"),
                config -> config);
    }

    private ObjectNode toOurExtender(ObjectNode config) {
        ObjectNode extender = (ObjectNode) config.withArray("extenders").get(0);
        java.net.URI url = java.net.URI.create(extender.get("urlPrefix").asText());
        extender.put("urlPrefix", url.getScheme() + "://127.0.0.1:" + extenderPort + url.getRawPath());
        return config;
    }

    public Overlay overlay() {
        return overlay;
    }

    public String token() {
        return token;
    }

    public FlowTimeline timeline() {
        return timeline;
    }

    public FakeVirtualization vms() {
        return vms;
    }

    public int provisionerHealthPort() {
        return provisionerHealthPort;
    }

    /** Every log of the suite's processes, for the token scan. */
    public Map<String, String> logs() {
        Map<String, String> logs = new LinkedHashMap<>();
        try (var files = Files.list(plane.dir().resolve("logs"))) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals("audit.log")) {
                    logs.put("log " + file.getFileName(), Files.readString(file));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return logs;
    }

    /** Waits for {@code done}, failing early (with the log) when one of the suite's processes has exited. */
    public void await(String what, Duration timeout, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(timeout);
        while (!done.getAsBoolean()) {
            plane.requireAlive();
            daemons.forEach(Daemon::requireAlive);
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(
                        what + ": not within " + timeout.toSeconds() + " s; timeline:\n" + timeline.table());
            }
            ControlPlane.sleep(Duration.ofMillis(50));
        }
    }

    private void awaitHttp(String what, String url, Path trustedCa) {
        java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder();
        if (trustedCa != null) {
            builder.sslContext(Pki.trusting(trustedCa));
        }
        try (java.net.http.HttpClient http = builder.build()) {
            await(what + " ready at " + url, Duration.ofSeconds(60), () -> {
                try {
                    return http.send(
                                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                                    .timeout(Duration.ofSeconds(2))
                                                    .build(),
                                            java.net.http.HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        started.add(closeable);
        return closeable;
    }

    /** The name of the dedicated node a pod's VM registers as. */
    public static String nodeOf(String podUid) {
        return Names.nodeName(podUid);
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // best effort: one process failing to stop must not keep the others running
            }
        }
    }
}

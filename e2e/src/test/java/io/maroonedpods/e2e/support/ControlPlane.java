package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real control plane on loopback: etcd, kube-apiserver (Node and RBAC authorization, NodeRestriction, the
 * MutatingAdmissionPolicy beta API, an audit log of the MaroonedPods identities) and kube-controller-manager (garbage
 * collector, node lifecycle, service accounts, ReplicaSets). kube-scheduler is started per scenario
 * ({@link KubeScheduler}), with the configuration under test.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Assets assets;
    private final Path dir;
    private final Pki pki;
    private final List<Daemon> daemons = new ArrayList<>();
    private final boolean controllers;
    private String server;
    private Kubeconfig admin;
    private KubernetesClient adminClient;

    private ControlPlane(Assets assets, Path dir, boolean controllers) {
        this.assets = assets;
        this.dir = dir;
        this.controllers = controllers;
        this.pki = Pki.create(dir.resolve("pki"));
    }

    /** Starts etcd, kube-apiserver and kube-controller-manager in {@code dir}; returns once the API server is ready. */
    public static ControlPlane start(Assets assets, Path dir) {
        return start(assets, dir, true);
    }

    /**
     * Etcd and kube-apiserver only, for benchmarks of kube-scheduler on nodes that are only objects: without kubelets
     * posting heartbeats, the node lifecycle controller would taint every node unreachable after its grace period.
     */
    public static ControlPlane withoutControllers(Assets assets, Path dir) {
        return start(assets, dir, false);
    }

    private static ControlPlane start(Assets assets, Path dir, boolean controllers) {
        ControlPlane plane = new ControlPlane(assets, dir, controllers);
        try {
            plane.begin();
        } catch (RuntimeException e) {
            plane.close();
            throw e;
        }
        return plane;
    }

    private void begin() {
        int etcdPort = freePort();
        int peerPort = freePort();
        int apiPort = freePort();
        server = "https://127.0.0.1:" + apiPort;
        daemons.add(Daemon.start(
                "etcd",
                List.of(
                        assets.binary("etcd").toString(),
                        "--name=e2e",
                        "--data-dir=" + dir.resolve("etcd"),
                        "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                        "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                        "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                        "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                        "--initial-cluster=e2e=http://127.0.0.1:" + peerPort,
                        // A test cluster's data need not survive a crash of this machine.
                        "--unsafe-no-fsync"),
                Map.of(),
                dir.resolve("logs/etcd.log")));

        Pki.Issued serving = pki.serving(
                "kube-apiserver", List.of("localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"));
        Path auditPolicy = write("audit-policy.yaml", AUDIT_POLICY);
        daemons.add(Daemon.start(
                "kube-apiserver",
                List.of(
                        assets.binary("kube-apiserver").toString(),
                        "--etcd-servers=http://127.0.0.1:" + etcdPort,
                        "--bind-address=127.0.0.1",
                        "--advertise-address=127.0.0.1",
                        "--secure-port=" + apiPort,
                        "--tls-cert-file=" + serving.cert(),
                        "--tls-private-key-file=" + serving.key(),
                        "--client-ca-file=" + pki.caCert(),
                        "--service-account-issuer=https://kubernetes.default.svc",
                        "--service-account-key-file=" + pki.file("sa.pub"),
                        "--service-account-signing-key-file=" + pki.file("sa.key"),
                        "--service-cluster-ip-range=10.96.0.0/16",
                        "--endpoint-reconciler-type=none",
                        "--authorization-mode=Node,RBAC",
                        // Kubernetes' bootstrap-token authenticator, so that JoinCredentialAdmissionTest can show the
                        // token
                        // Secret the provisioner writes authenticates as a bootstrapper alone, until it is deleted or
                        // expires.
                        "--enable-bootstrap-token-auth=true",
                        "--enable-admission-plugins=NodeRestriction",
                        "--feature-gates=MutatingAdmissionPolicy=true",
                        "--runtime-config=admissionregistration.k8s.io/v1beta1=true",
                        "--audit-policy-file=" + auditPolicy,
                        "--audit-log-path=" + auditLog(),
                        "--audit-log-format=json",
                        "--audit-log-maxbackup=0",
                        "--audit-log-maxsize=0"),
                Map.of(),
                dir.resolve("logs/kube-apiserver.log")));

        admin = Kubeconfig.forCertificate(
                dir.resolve("admin.kubeconfig"),
                server,
                pki.caCert(),
                pki.client("admin", "e2e-admin", "system:masters"));
        adminClient = admin.client();
        awaitReady();
        if (!controllers) {
            return;
        }

        Kubeconfig controllerManager = Kubeconfig.forCertificate(
                dir.resolve("kcm.kubeconfig"),
                server,
                pki.caCert(),
                pki.client("kcm", "system:kube-controller-manager"));
        daemons.add(Daemon.start(
                "kube-controller-manager",
                List.of(
                        assets.binary("kube-controller-manager").toString(),
                        "--kubeconfig=" + controllerManager.path(),
                        "--authentication-kubeconfig=" + controllerManager.path(),
                        "--authorization-kubeconfig=" + controllerManager.path(),
                        "--bind-address=127.0.0.1",
                        "--secure-port=" + freePort(),
                        "--service-account-private-key-file=" + pki.file("sa.key"),
                        "--root-ca-file=" + pki.caCert(),
                        "--use-service-account-credentials=true",
                        "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-ca-cert-publisher",
                        "--leader-elect=false"),
                Map.of(),
                dir.resolve("logs/kube-controller-manager.log")));
    }

    /** Kubernetes' own identity for kube-scheduler (main-scheduler mode runs the cluster's scheduler as it). */
    public Kubeconfig schedulerIdentity() {
        return Kubeconfig.forCertificate(
                dir.resolve("scheduler.kubeconfig"),
                server,
                pki.caCert(),
                pki.client("scheduler", "system:kube-scheduler"));
    }

    /** A kubelet's identity for {@code nodeName}: the Node authorizer and NodeRestriction apply to it. */
    public Kubeconfig nodeIdentity(String nodeName) {
        return Kubeconfig.forCertificate(
                dir.resolve("nodes/" + nodeName + ".kubeconfig"), server, pki.caCert(), pki.node(nodeName));
    }

    /** A person's identity, as a tenant of the cluster gets one: a client certificate of the cluster's CA. */
    public Kubeconfig userIdentity(String user, String... groups) {
        return Kubeconfig.forCertificate(
                dir.resolve("users/" + user + ".kubeconfig"),
                server,
                pki.caCert(),
                pki.client("user-" + user, user, groups));
    }

    /** A ServiceAccount's identity, from a token the API server issues (TokenRequest), as a pod would hold it. */
    public Kubeconfig serviceAccountIdentity(String namespace, String name) {
        String token = adminClient
                .serviceAccounts()
                .inNamespace(namespace)
                .withName(name)
                .tokenRequest(new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
        return Kubeconfig.forToken(dir.resolve(namespace + "-" + name + ".kubeconfig"), server, pki.caCert(), token);
    }

    /** An identity that authenticates with a bearer token (a bootstrap token, say), trusting the cluster CA. */
    public Kubeconfig bearerIdentity(String name, String token) {
        return Kubeconfig.forToken(dir.resolve("bearer/" + name + ".kubeconfig"), server, pki.caCert(), token);
    }

    /** The cluster CA: what every client here trusts for the API server, the provisioner's kubeconfig included. */
    public Path caCert() {
        return pki.caCert();
    }

    public Assets assets() {
        return assets;
    }

    public Kubeconfig admin() {
        return admin;
    }

    public KubernetesClient adminClient() {
        return adminClient;
    }

    public Path dir() {
        return dir;
    }

    public Path auditLog() {
        return dir.resolve("logs/audit.log");
    }

    /** The process ids of etcd and kube-apiserver (a benchmark counts their CPU time). */
    public List<Long> storageAndApiServerPids() {
        return List.of(daemons.get(0).pid(), daemons.get(1).pid());
    }

    /** Fails with the log of any control-plane process that has exited. */
    public void requireAlive() {
        daemons.forEach(Daemon::requireAlive);
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            daemons.forEach(Daemon::requireAlive);
            try {
                if ("ok".equals(adminClient.raw("/readyz"))) {
                    return;
                }
            } catch (KubernetesClientException e) {
                last = e.getMessage();
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("kube-apiserver not ready within " + READY_TIMEOUT.toSeconds() + " s (" + last
                + "); last lines of its log:\n" + daemons.get(1).tail(30));
    }

    private Path write(String name, String text) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops the controllers first, then the API server, then etcd. */
    @Override
    public void close() {
        if (adminClient != null) {
            adminClient.close();
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
    }

    /**
     * What the audit log records: every request of MaroonedPods' own ServiceAccounts (provisioner, extender, the
     * maroon-scheduler pod's identity) at Metadata level, once, when the answer is complete; nothing else.
     */
    private static final String AUDIT_POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived", "ResponseStarted", "Panic"]
            rules:
              - level: Metadata
                userGroups: ["system:serviceaccounts:maroonedpods-system"]
              - level: None
            """;
}

package io.maroonedpods.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Installation;
import io.maroonedpods.e2e.support.Invariants;
import io.maroonedpods.e2e.support.Pki;
import io.maroonedpods.e2e.support.RealClusterExtension;
import io.maroonedpods.e2e.support.Repo;
import io.maroonedpods.e2e.support.Reports;
import io.maroonedpods.e2e.support.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Main-scheduler mode (the main-scheduler overlay): the cluster's own kube-scheduler, configured with the overlay's
 * extenders stanza, calls the shipped extender for every pod, over mutual TLS with a CA of its own. Pods opt in with the label; ordinary pods — even ones
 * that tolerate every taint — never land on a dedicated VM node.
 */
@ExtendWith(RealClusterExtension.class)
class MainSchedulerModeTest {
    private static final int MAROON = 3;
    private static final int ORDINARY = 4;

    @Test
    void labelledPodsGetTheirOwnNodesAndOrdinaryPodsNeverLandOnDedicatedNodes(ControlPlane plane) throws IOException {
        String stanza = Files.readString(
                Repo.root().resolve("manifests/overlays/main-scheduler/scheduler-extenders-stanza.yaml"));
        Path tls = dedicatedCa(plane.dir().resolve("extender-ca"));
        try (Installation install = Installation.install(plane, "main-scheduler")
                .withVirtualization(2)
                .withProvisioner(Map.of())
                .withExtender(
                        "maroonedpods-extender",
                        "maroonedpods-extender",
                        path -> path.startsWith("/tls/")
                                ? tls.resolve(path.substring(1)).toString()
                                : path)
                .withScheduler("kube-scheduler", stanza, plane.schedulerIdentity(), c -> schedulerFiles(c, tls))) {
            KubernetesClient admin = plane.adminClient();
            for (int i = 1; i <= ORDINARY; i++) {
                admin.resource(everyTaintTolerated("early-" + i)).create();
            }
            for (int i = 1; i <= MAROON; i++) {
                admin.resource(Workloads.labelledMaroonPod("maroon-" + i)).create();
            }
            install.await(
                    "every labelled pod bound",
                    Duration.ofSeconds(180),
                    () -> install.timeline().boundCount() >= MAROON);
            // Now that dedicated nodes exist and are Ready, more ordinary pods that would tolerate them.
            for (int i = 1; i <= ORDINARY; i++) {
                admin.resource(everyTaintTolerated("late-" + i)).create();
            }
            install.await(
                    "every ordinary pod bound",
                    Duration.ofSeconds(60),
                    () -> admin.pods().inNamespace(Installation.TENANT).list().getItems().stream()
                            .allMatch(p -> p.getSpec().getNodeName() != null
                                    && !p.getSpec().getNodeName().isEmpty()));

            List<Pod> pods =
                    admin.pods().inNamespace(Installation.TENANT).list().getItems();
            assertThat(pods).hasSize(MAROON + 2 * ORDINARY);
            Invariants.holdWhileBound(install, admin, Map.of());
            assertThat(pods.stream().filter(p -> p.getMetadata().getName().startsWith("late-")))
                    .allSatisfy(p ->
                            assertThat(Installation.HOSTS).contains(p.getSpec().getNodeName()));
            admin.pods().inNamespace(Installation.TENANT).delete();
            Invariants.nothingLeftOnceThePodsAreGone(install, admin);
            Reports.write(plane, "main-scheduler mode, " + MAROON + " labelled pods", install);
        }
    }

    /** An ordinary pod that tolerates every taint: only the extender keeps it off dedicated nodes. */
    private static Pod everyTaintTolerated(String name) {
        return Workloads.pod(name)
                .editSpec()
                .addNewToleration()
                .withOperator("Exists")
                .endToleration()
                .endSpec()
                .build();
    }

    /**
     * As manifests/README.md sets it up: a CA of its own, the extender's serving certificate for the Service's name
     * (mounted from Secrets at /tls/server and /tls/client-ca) and the scheduler's client certificate naming
     * {@code maroonedpods-scheduler} (the stanza's files under /etc/rancher/k3s/maroonedpods). Returns the directory
     * standing for the mounts.
     */
    private static Path dedicatedCa(Path dir) throws IOException {
        Pki ca = Pki.create(dir.resolve("pki"));
        Pki.Issued server = ca.serving("extender", List.of("maroonedpods-extender.maroonedpods-system.svc"));
        Pki.Issued scheduler = ca.client("scheduler", "maroonedpods-scheduler");
        copy(server.cert(), dir.resolve("tls/server/tls.crt"));
        copy(server.key(), dir.resolve("tls/server/tls.key"));
        copy(ca.caCert(), dir.resolve("tls/client-ca/ca.crt"));
        copy(ca.caCert(), dir.resolve("scheduler/ca.crt"));
        copy(scheduler.cert(), dir.resolve("scheduler/scheduler.crt"));
        copy(scheduler.key(), dir.resolve("scheduler/scheduler.key"));
        return dir;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to);
    }

    /**
     * The scheduler's files are the suite's (the Service's address is the extender's, see Installation); the server
     * name checked, and everything else, as the stanza says.
     */
    private static ObjectNode schedulerFiles(ObjectNode config, Path tls) {
        ObjectNode extender = (ObjectNode) config.withArray("extenders").get(0);
        ObjectNode files = extender.withObjectProperty("tlsConfig");
        for (String key : List.of("caFile", "certFile", "keyFile")) {
            files.put(
                    key,
                    tls.resolve("scheduler")
                            .resolve(Path.of(files.get(key).asText()).getFileName())
                            .toString());
        }
        return config;
    }
}

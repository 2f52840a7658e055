package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.JoinInfo;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.k3s.K3sToken;
import io.maroonedpods.kubevirt.KubeVirt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's token (the one an earlier install was told to put in maroonedpods-system) enters no VM: no VMI, no
 * userdata Secret, nothing in the VM namespace. Each VM's own credentials are in its userdata Secret only: never in a
 * VMI, an Event, a pod, a log line or a metric.
 */
class TokenNeverLeaksTest extends FlowCluster {
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logLines.add(formatter.format(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Level previousLevel;

    @BeforeEach
    void captureEveryLogLevel() {
        Logger root = Logger.getLogger("");
        previousLevel = root.getLevel();
        root.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        root.setLevel(previousLevel);
    }

    @Test
    void noVmEverHoldsTheClustersTokenAndNoVmCredentialShowsAnywhereElse() {
        configure(spec(2, 30, null));
        Provisioner provisioner = startProvisioner();
        Pod ok = createPod("ok");
        awaitRunningVmi(ok);
        JoinInfo okJoin = agent.joinInfo(ok.getMetadata().getUid());
        agent.register(ok.getMetadata().getUid());
        await().atMost(PATIENCE).until(() -> reasons(ok).contains("NodeVerified"));
        Pod forged = createPod("forged");
        awaitRunningVmi(forged);
        JoinInfo forgedJoin = agent.joinInfo(forged.getMetadata().getUid());
        agent.register(forgedJoin, "10.99.0.1", "bad");
        await().atMost(PATIENCE).until(() -> reasons(forged).contains("NodeRejected"));
        clock.advance(Duration.ofSeconds(31));
        touch(forged);
        await().atMost(PATIENCE).until(() -> reasons(forged).contains("BootFailed"));
        client.pods().resource(ok).delete();
        await().atMost(PATIENCE).until(() -> vmi(ok) == null);
        Pod third = createPod("third");
        awaitRunningVmi(third);
        JoinInfo thirdJoin = agent.joinInfo(third.getMetadata().getUid());

        String clusterSecret = CLUSTER_TOKEN.substring(CLUSTER_TOKEN.lastIndexOf(':') + 1);
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems())
                .isNotEmpty()
                .allSatisfy(vmi -> assertThat(Serialization.asJson(vmi)).doesNotContain(clusterSecret));
        assertThat(client.secrets().inNamespace(VM_NS).list().getItems())
                .isNotEmpty()
                .allSatisfy(secret -> {
                    assertThat(secret.getMetadata().getName()).endsWith(Names.USERDATA_SUFFIX);
                    assertThat(decoded(secret))
                            .as("no userdata carries the cluster's token")
                            .doesNotContain(clusterSecret);
                });
        List<String> vmCredentials = List.of(
                secretOf(okJoin),
                okJoin.nodePassword(),
                secretOf(forgedJoin),
                forgedJoin.nodePassword(),
                secretOf(thirdJoin),
                thirdJoin.nodePassword());
        assertThat(vmCredentials).as("every VM's credentials are its own").doesNotHaveDuplicates();
        List<String> everywhereElse = new java.util.ArrayList<>(List.of(CLUSTER_TOKEN, clusterSecret));
        everywhereElse.addAll(vmCredentials);
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems())
                .allSatisfy(vmi -> assertThat(Serialization.asJson(vmi)).doesNotContain(vmCredentials));
        List<Event> events =
                client.events().v1().events().inAnyNamespace().list().getItems();
        assertThat(events)
                .hasSizeGreaterThan(5)
                .allSatisfy(e -> assertThat(Serialization.asJson(e)).doesNotContain(everywhereElse));
        assertThat(Serialization.asJson(pod(forged))).doesNotContain(everywhereElse);
        assertThat(logLines)
                .hasSizeGreaterThan(50)
                .allSatisfy(line -> assertThat(line).doesNotContain(everywhereElse));
        assertThat(provisioner.scrapeMetrics())
                .contains("maroonedpods_provisioner")
                .doesNotContain(everywhereElse);
    }

    private static String secretOf(JoinInfo join) {
        return K3sToken.parse(join.token()).bootstrap().secret();
    }

    private static String decoded(Secret secret) {
        return new String(
                java.util.Base64.getDecoder().decode(secret.getData().get(Names.USERDATA_KEY)),
                java.nio.charset.StandardCharsets.UTF_8);
    }
}

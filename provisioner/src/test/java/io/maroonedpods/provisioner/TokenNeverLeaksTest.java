package io.maroonedpods.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.api.Names;
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

/** The join token goes into exactly one place, the userdata Secret: never a VMI, an Event, a log line or a metric. */
class TokenNeverLeaksTest extends MockCluster {
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            logLines.add(formatter.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
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
    void theTokenAppearsOnlyInTheUserdataSecret() {
        configure(spec(2, 30, null));
        Provisioner provisioner = startProvisioner();
        Pod ok = createPod("ok");
        awaitRunningVmi(ok);
        agent.register(ok.getMetadata().getUid());
        await().atMost(PATIENCE).until(() -> reasons(ok).contains("NodeVerified"));
        Pod forged = createPod("forged");
        awaitRunningVmi(forged);
        assertThat(agent.joinInfo(forged.getMetadata().getUid()).token())
                .as("the token is where the VM needs it").isEqualTo(TOKEN);
        agent.register(agent.joinInfo(forged.getMetadata().getUid()), "10.99.0.1", "bad");
        await().atMost(PATIENCE).until(() -> reasons(forged).contains("NodeRejected"));
        clock.advance(Duration.ofSeconds(31));
        touch(forged);
        await().atMost(PATIENCE).until(() -> reasons(forged).contains("BootFailed"));
        client.pods().resource(ok).delete();
        await().atMost(PATIENCE).until(() -> reasons(ok).contains("TornDown"));

        Pod third = createPod("third");
        awaitRunningVmi(third);
        assertThat(KubeVirt.vmis(client, VM_NS).list().getItems()).isNotEmpty()
                .allSatisfy(vmi -> assertThat(Serialization.asJson(vmi)).doesNotContain(TOKEN));
        List<Event> events = client.events().v1().events().inAnyNamespace().list().getItems();
        assertThat(events).hasSizeGreaterThan(5).allSatisfy(e -> assertThat(Serialization.asJson(e)).doesNotContain(TOKEN));
        assertThat(pod(forged).getMetadata().getAnnotations().toString()).doesNotContain(TOKEN);
        assertThat(logLines).hasSizeGreaterThan(50).noneMatch(line -> line.contains(TOKEN));
        assertThat(provisioner.scrapeMetrics()).contains("maroonedpods_provisioner").doesNotContain(TOKEN);
        assertThat(client.secrets().inNamespace(VM_NS).list().getItems())
                .allSatisfy(s -> assertThat(s.getMetadata().getName()).endsWith(Names.USERDATA_SUFFIX));
    }
}

package io.maroonedpods.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTest {
    @Test
    void percentilesUseTheNearestRank() {
        List<Double> values = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(Summary.percentile(values, 50)).isEqualTo(5.0);
        assertThat(Summary.percentile(values, 95)).isEqualTo(10.0);
        assertThat(Summary.percentile(List.of(), 50)).isNull();
    }

    private static Pod pod(String name, String uid, String scheduler, String node) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("t")
                .withUid(uid)
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(scheduler)
                .withNodeName(node)
                .endSpec()
                .build();
    }

    @Test
    void isolationNamesEveryKindOfViolation() {
        String a = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0a";
        String b = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0b";
        assertThat(Isolation.violations(List.of(
                        pod("ok", a, Names.SCHEDULER_NAME, Names.nodeName(a)),
                        pod("web", "u-web", "default-scheduler", "worker-1"))))
                .isEmpty();

        assertThat(Isolation.violations(List.of(
                        pod("m1", a, Names.SCHEDULER_NAME, "worker-1"),
                        pod("intruder", "u-x", "default-scheduler", Names.nodeName(b)),
                        pod("m2", b, Names.SCHEDULER_NAME, Names.nodeName(b)))))
                .containsExactlyInAnyOrder(
                        "maroon pod t/m1 is on node worker-1, not on its own node",
                        "non-maroon pod t/intruder is on dedicated node " + Names.nodeName(b),
                        "dedicated node " + Names.nodeName(b) + " runs 2 pods: t/intruder, t/m2");
    }

    @Test
    void theTokenIsFoundPlainOrBase64Encoded() {
        String token = "K10abcdef";
        String encoded =
                java.util.Base64.getEncoder().encodeToString(token.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(TokenScan.leaks(
                        token,
                        java.util.Map.of(
                                "Event t/e1", "{\"note\":\"joined with K10abcdef\"}",
                                "Secret kube-system/x", "{\"data\":{\"t\":\"" + encoded + "\"}}",
                                "Pod t/p", "{\"spec\":{}}")))
                .containsExactlyInAnyOrder("Event t/e1", "Secret kube-system/x");
    }

    @Test
    void aMaroonPodMayBeOnlyOnThePoolNodeItClaimed() {
        String a = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0a";
        String b = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0b";
        Map<String, String> owners = Map.of("maroon-pool-aaaaaaaaaa", a);
        assertThat(Isolation.violations(List.of(pod("m1", a, Names.SCHEDULER_NAME, "maroon-pool-aaaaaaaaaa")), owners))
                .isEmpty();
        assertThat(Isolation.violations(List.of(pod("m2", b, Names.SCHEDULER_NAME, "maroon-pool-aaaaaaaaaa")), owners))
                .containsExactly("maroon pod t/m2 is on node maroon-pool-aaaaaaaaaa, not on its own node");
        assertThat(Isolation.violations(List.of(pod("m3", b, Names.SCHEDULER_NAME, "maroon-pool-bbbbbbbbbb")), owners))
                .as("an unclaimed pool node is nobody's")
                .hasSize(1);
    }
}

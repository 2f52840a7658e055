package io.maroonedpods.simulator.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.ApiPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerAndSummaryTest {
    private static final ApiPath VMIS = ApiPath.parse("/apis/kubevirt.io/v1/namespaces/vms/virtualmachineinstances");

    private static JsonNode vmi(String name, String podUid) {
        return json("{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"" + Names.POD_UID_LABEL + "\":\"" + podUid
                + "\"}}}");
    }

    /** An object as the simulated API server stores it. */
    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void aSecondVmiForAPodWhoseFirstStillExistsIsADuplicateButARetryIsNot() {
        VmiLedger ledger = new VmiLedger();
        ledger.written("POST", VMIS, vmi("maroon-a", "a"));
        ledger.written("DELETE", ApiPath.parse(VMIS.path() + "/maroon-a"), vmi("maroon-a", "a"));
        ledger.written("POST", VMIS, vmi("maroon-a", "a"));
        assertThat(ledger.duplicates()).isZero();

        ledger.written("POST", VMIS, vmi("maroon-a-2", "a"));
        assertThat(ledger.duplicates()).isEqualTo(1);
        assertThat(ledger.created()).isEqualTo(3);
        assertThat(ledger.deleted()).isEqualTo(1);
    }

    @Test
    void writesOfOtherResourcesAreNotCounted() {
        VmiLedger ledger = new VmiLedger();
        ledger.written("POST", ApiPath.parse("/api/v1/namespaces/vms/secrets"), vmi("maroon-a-userdata", "a"));
        assertThat(ledger.created()).isZero();
    }

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

    @Test
    void theTimelineMeasuresNodeRegisteredToVerifiedFromTheWrites() {
        long[] millis = {0};
        Timeline timeline = new Timeline(() -> millis[0]);
        String uid = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0a";
        timeline.written(
                "POST",
                ApiPath.parse("/api/v1/namespaces/t/pods"),
                json("{\"metadata\":{\"name\":\"m\",\"namespace\":\"t\",\"uid\":\"" + uid
                        + "\"},\"spec\":{\"schedulerName\":\"" + Names.SCHEDULER_NAME + "\"}}"));
        millis[0] = 1000;
        timeline.written(
                "POST",
                ApiPath.parse("/api/v1/nodes"),
                json("{\"metadata\":{\"name\":\"n\",\"labels\":{\"" + Names.POD_UID_LABEL + "\":\"" + uid + "\"}}}"));
        millis[0] = 1040;
        JsonNode verified = json("{\"metadata\":{\"name\":\"n\",\"labels\":{\"" + Names.POD_UID_LABEL + "\":\"" + uid
                + "\",\"" + Names.VERIFIED_POD_UID_LABEL + "\":\"" + uid + "\"}}}");
        timeline.written("PATCH", ApiPath.parse("/api/v1/nodes/n"), verified);
        millis[0] = 2000;
        timeline.written("PUT", ApiPath.parse("/api/v1/nodes/n"), verified);

        Timeline.PodTimeline pod = timeline.pods().get(0);
        assertThat(pod.nodeRegistered()).isEqualTo(1.0);
        assertThat(pod.nodeVerified()).isEqualTo(1.04);
        assertThat(Summary.verifyLatencies(timeline.pods())).hasSize(1);
        assertThat(Summary.verifyLatencies(timeline.pods()).get(0))
                .isCloseTo(0.04, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void milestonesReportedBeforeThePodsCreationAreKeptAndOtherPodsAreNotListed() {
        long[] millis = {1000};
        Timeline timeline = new Timeline(() -> millis[0]);
        String uid = "0b7c2a4e-1f2d-4c3b-9a8e-5d6f7a8b9c0a";
        // The provisioner saw the pod on its watch and created the VMI before the pod's own write was reported.
        timeline.written("POST", VMIS, vmi("maroon-" + uid, uid));
        timeline.written(
                "POST",
                ApiPath.parse("/api/v1/namespaces/t/pods/ordinary/binding"),
                json("{\"metadata\":{\"name\":\"ordinary\",\"uid\":\"other\"},\"spec\":{\"nodeName\":\"w\"}}"));
        millis[0] = 1001;
        timeline.written(
                "POST",
                ApiPath.parse("/api/v1/namespaces/t/pods"),
                json("{\"metadata\":{\"name\":\"m\",\"namespace\":\"t\",\"uid\":\"" + uid
                        + "\"},\"spec\":{\"schedulerName\":\"" + Names.SCHEDULER_NAME + "\"}}"));

        assertThat(timeline.pods()).singleElement().satisfies(pod -> {
            assertThat(pod.name()).isEqualTo("m");
            assertThat(pod.created()).isEqualTo(1.001);
            assertThat(pod.vmiCreated()).isEqualTo(1.0);
        });
        assertThat(timeline.vmiCount()).isEqualTo(1);
        assertThat(timeline.boundCount()).isZero();
        assertThat(Summary.allReached(timeline.pods(), Timeline.PodTimeline::vmiCreated))
                .isNotNull();
    }
}

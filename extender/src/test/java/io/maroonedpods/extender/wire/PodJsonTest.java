package io.maroonedpods.extender.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import io.fabric8.kubernetes.api.model.Pod;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.Fixtures;
import io.maroonedpods.extender.filter.PodBeingScheduled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Pod of a filter or prioritize call is read as the facts the decisions need, never built: it must read what the
 * fabric8 binding followed by {@link PodBeingScheduled#of} reads (the way /preempt still reads its Pod), refuse a
 * wrong type in any field it reads, and skip the rest as Go's decoder skips fields its struct does not name.
 */
class PodJsonTest {
    private static final String CONFIGURED = "isolated-scheduler";
    private static final ExtenderArgsReader READER = new ExtenderArgsReader(Names.DEDICATED_TAINT, CONFIGURED);

    @Test
    void readsWhatTheBindingReadsForEveryKindOfPod() throws IOException {
        String daemonSetOwned = Fixtures.podJson(Fixtures.UID, null, Map.of())
                .replace(
                        "\"resourceVersion\"",
                        "\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\"ReplicaSet\",\"name\":\"r\","
                                + "\"uid\":\"1\"},{\"apiVersion\":\"apps/v1\",\"kind\":\"DaemonSet\",\"name\":\"d\","
                                + "\"uid\":\"2\",\"controller\":true,\"blockOwnerDeletion\":true}],"
                                + "\"managedFields\":[{\"manager\":\"kube-controller-manager\",\"fieldsType\":"
                                + "\"FieldsV1\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\".\":{}}}}}],"
                                + "\"resourceVersion\"");
        List<String> pods = List.of(
                Fixtures.maroonPodJson(),
                Fixtures.ordinaryPodJson(),
                Fixtures.podJson(Fixtures.UID, null, Map.of(Names.OPT_IN_LABEL, "true")),
                Fixtures.podJson(Fixtures.UID, null, Map.of(Names.OPT_IN_LABEL, "false", "app", "x")),
                Fixtures.podJson(Fixtures.UID, CONFIGURED, Map.of()),
                daemonSetOwned,
                daemonSetOwned.replace("\"controller\":true", "\"controller\":false"),
                "{}",
                "{\"metadata\":null,\"spec\":null}");

        for (String pod : pods) {
            Pod bound = WireJson.MAPPER.readValue(pod, Pod.class);
            assertThat(read(pod)).as(pod).isEqualTo(PodBeingScheduled.of(bound, CONFIGURED));
        }
        assertThat(read(daemonSetOwned).daemonSet()).isTrue();
        assertThat(read(Fixtures.podJson(Fixtures.UID, CONFIGURED, Map.of())).maroon())
                .isTrue();
    }

    @Test
    void fieldNamesMatchAnyCaseButLabelKeysOnlyExactly() throws IOException {
        PodBeingScheduled pod = read("{\"METADATA\":{\"Uid\":\"u\",\"labels\":{\"" + Names.OPT_IN_LABEL
                + "\":\"true\"}},\"Spec\":{\"SCHEDULERNAME\":\"default-scheduler\"}}");
        assertThat(pod.uid()).isEqualTo("u");
        assertThat(pod.maroon()).isTrue();

        String upperKey = Names.OPT_IN_LABEL.toUpperCase(java.util.Locale.ROOT);
        assertThat(read("{\"metadata\":{\"labels\":{\"" + upperKey + "\":\"true\"}}}")
                        .maroon())
                .isFalse();
    }

    @Test
    void aFieldGivenTwiceReplacesTheFirstAsInDataBinding() throws IOException {
        String pod = "{\"metadata\":{\"uid\":\"a\",\"labels\":{\"" + Names.OPT_IN_LABEL + "\":\"true\"}},"
                + "\"spec\":{\"schedulerName\":\"" + CONFIGURED + "\"},\"metadata\":{\"uid\":\"b\"},\"spec\":null}";

        assertThat(read(pod)).isEqualTo(new PodBeingScheduled("b", null, null, false, false));
        assertThat(read(pod)).isEqualTo(PodBeingScheduled.of(WireJson.MAPPER.readValue(pod, Pod.class), CONFIGURED));
    }

    @Test
    void fieldsTheDecisionsNeverReadAreSkippedAsJsonOnly() throws IOException {
        String pod = "{\"metadata\":{\"uid\":\"u\",\"creationTimestamp\":7,\"annotations\":[1,{}]},"
                + "\"spec\":{\"containers\":{},\"tolerations\":[{\"tolerationSeconds\":\"soon\"}],\"priority\":\"x\"},"
                + "\"status\":\"weird\"}";

        assertThat(read(pod)).isEqualTo(new PodBeingScheduled("u", null, null, false, false));
        assertThatThrownBy(() -> read("{\"spec\":{\"containers\":[{\"name\":\"web\",]}}"))
                .isInstanceOf(JsonParseException.class);
    }

    @Test
    void aWrongTypeInAFieldItReadsIsRefusedByName() {
        Map<String, String> refusals = Map.of(
                "{\"metadata\":[]}", "Pod.metadata: expected an object, got an array",
                "{\"metadata\":{\"name\":1}}", "Pod.metadata.name: expected a string, got a number",
                "{\"metadata\":{\"labels\":{\"app\":2}}}", "Pod.metadata.labels[app]: expected a string, got a number",
                "{\"metadata\":{\"ownerReferences\":{}}}",
                        "Pod.metadata.ownerReferences: expected an array, got an object",
                "{\"metadata\":{\"ownerReferences\":[{},null]}}",
                        "Pod.metadata.ownerReferences[1]: expected an object, got null",
                "{\"metadata\":{\"ownerReferences\":[{\"kind\":[]}]}}",
                        "Pod.metadata.ownerReferences[0].kind: expected a string, got an array",
                "{\"spec\":\"x\"}", "Pod.spec: expected an object, got a string",
                "{\"spec\":{\"schedulerName\":{}}}", "Pod.spec.schedulerName: expected a string, got an object");

        refusals.forEach((pod, message) -> assertThatThrownBy(() -> read(pod))
                .as(pod)
                .isInstanceOf(BadRequestException.class)
                .hasMessage(message));
    }

    private static PodBeingScheduled read(String pod) throws IOException {
        String body = "{\"Pod\":" + pod + ",\"Nodes\":null,\"NodeNames\":[\"worker-1\"]}";
        return READER.read(body.getBytes(StandardCharsets.UTF_8)).pod();
    }
}

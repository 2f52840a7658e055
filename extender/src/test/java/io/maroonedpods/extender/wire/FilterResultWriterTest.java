package io.maroonedpods.extender.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.api.Names;
import io.maroonedpods.extender.Fixtures;
import io.maroonedpods.extender.filter.Filter;
import io.maroonedpods.extender.filter.FilterDecision;
import io.maroonedpods.extender.filter.NodeFacts;
import io.maroonedpods.extender.filter.NodeNameCandidates;
import io.maroonedpods.extender.filter.NodeView;
import io.maroonedpods.extender.filter.VmiState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The filter answer is sized before it is written: exactly for NodeNames, so it is built in one allocation. */
class FilterResultWriterTest {
    static final ExtenderArgsReader READER = new ExtenderArgsReader(Names.DEDICATED_TAINT, Names.SCHEDULER_NAME);
    static final NodeView VIEW = new NodeView() {
        @Override
        public NodeFacts dedicatedNode(String name) {
            return name.equals(Fixtures.OWN_NODE)
                    ? new NodeFacts(name, Fixtures.UID, Fixtures.UID, false, true, true, false, false)
                    : null;
        }

        @Override
        public VmiState vmiOf(String podUid) {
            return null;
        }
    };

    @Test
    void aNodeNamesAnswerIsSizedExactly() throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            names.add(i == 150 ? Fixtures.OWN_NODE : "worker-\\u00e9-" + i); // escaped in the request, kept as sent
        }
        for (String pod : List.of(Fixtures.maroonPodJson(), Fixtures.ordinaryPodJson())) {
            ExtenderArgs args = READER.read(Fixtures.namesArgs(pod, names).getBytes());
            FilterDecision decision = Filter.decide(
                    args.pod(), new NodeNameCandidates(args.nodeNames(), VIEW), VIEW, Instant.now(), false);
            ByteSink out = new ByteSink(64);
            FilterResultWriter.write(args, decision, out);

            assertThat(out.buffer())
                    .as("one array, of the answer's exact length")
                    .hasSize(out.size());
            assertThat(out.toString()).contains("\"worker-\\u00e9-0\"");
        }
    }

    @Test
    void anOrdinaryPodsAnswerEchoesThePassingNamesAsSentAndRejectsTheDedicatedOne() throws IOException {
        // Names close together are copied as one slice of the request; spaced ones one by one: the same answer.
        String names =
                "[\"worker-1\",\"worker-2\", \"worker-3\",\"" + Fixtures.OWN_NODE + "\",\"worker-4\" ,\"w\\u00e9\"]";
        for (String body : List.of(
                "{\"Pod\":" + Fixtures.ordinaryPodJson() + ",\"Nodes\":null,\"NodeNames\":" + names + "}",
                "{\"NodeNames\":" + names + ",\"Pod\":" + Fixtures.ordinaryPodJson() + "}")) {
            ExtenderArgs args = READER.read(body.getBytes());
            FilterDecision decision = Filter.decide(
                    args.pod(), new NodeNameCandidates(args.nodeNames(), VIEW), VIEW, Instant.now(), false);
            ByteSink out = new ByteSink(64);
            FilterResultWriter.write(args, decision, out);

            assertThat(out.toString())
                    .isEqualTo("{\"Nodes\":null,\"NodeNames\":[\"worker-1\",\"worker-2\",\"worker-3\","
                            + "\"worker-4\",\"w\\u00e9\"],\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":{\""
                            + Fixtures.OWN_NODE
                            + "\":\"dedicated node, reserved for its maroon pod\"},\"Error\":\"\"}");
            assertThat(out.buffer()).hasSize(out.size());
        }
    }

    @Test
    void aFullNodesAnswerIsSizedAtLeastForWhatItWrites() throws IOException {
        List<String> nodes = List.of(
                Fixtures.ordinaryNodeJson("worker-1"),
                Fixtures.verifiedNodeJson(Fixtures.OWN_NODE, Fixtures.UID, true),
                Fixtures.ordinaryNodeJson("worker-2"));
        ExtenderArgs args =
                READER.read(Fixtures.nodesArgs(Fixtures.maroonPodJson(), nodes).getBytes());
        FilterDecision decision = Filter.decide(args.pod(), args.nodes(), VIEW, Instant.now(), false);
        ByteSink out = new ByteSink(64);
        FilterResultWriter.write(args, decision, out);

        assertThat(FilterResultWriter.size(args, decision)).isGreaterThanOrEqualTo(out.size());
        assertThat(out.buffer()).hasSize(FilterResultWriter.size(args, decision));
    }
}

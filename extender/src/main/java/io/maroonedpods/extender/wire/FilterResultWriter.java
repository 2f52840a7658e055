package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import io.maroonedpods.extender.filter.FilterDecision;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes kube-scheduler's {@code ExtenderFilterResult{Nodes, NodeNames, FailedNodes, FailedAndUnresolvableNodes,
 * Error}} in the mode the request came in: NodeNames in, NodeNames out (Nodes null); Nodes in, Nodes out (NodeNames
 * null), each passing Node as the exact bytes the scheduler sent. Every rejection goes to FailedAndUnresolvableNodes:
 * a node in FailedNodes would become a preemption candidate although the pod can never use it. FailedNodes is always
 * an empty object, so clients that index it never meet null.
 */
public final class FilterResultWriter {
    private FilterResultWriter() {
    }

    public static void write(ExtenderArgs args, FilterDecision decision, OutputStream out) throws IOException {
        try (JsonGenerator json = WireJson.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("Nodes");
            if (args.namesMode()) {
                json.writeNull();
            } else {
                writePassingNodes(args.nodes(), decision, json);
            }
            json.writeFieldName("NodeNames");
            if (args.namesMode()) {
                json.writeStartArray();
                for (int i = 0; i < decision.size(); i++) {
                    if (decision.passes(i)) {
                        json.writeString(args.nodeNames().get(i));
                    }
                }
                json.writeEndArray();
            } else {
                json.writeNull();
            }
            json.writeFieldName("FailedNodes");
            json.writeStartObject();
            json.writeEndObject();
            json.writeFieldName("FailedAndUnresolvableNodes");
            json.writeStartObject();
            for (int i = 0; i < decision.size(); i++) {
                if (!decision.passes(i)) {
                    json.writeStringField(args.namesMode() ? args.nodeNames().get(i) : args.nodes().name(i),
                            decision.rejection(i));
                }
            }
            json.writeEndObject();
            json.writeStringField("Error", "");
            json.writeEndObject();
        }
    }

    private static void writePassingNodes(SentNodes nodes, FilterDecision decision, JsonGenerator json)
            throws IOException {
        json.writeStartObject();
        json.writeFieldName("metadata");
        json.writeStartObject();
        json.writeEndObject();
        json.writeFieldName("items");
        json.writeStartArray();
        for (int i = 0; i < decision.size(); i++) {
            if (decision.passes(i)) {
                json.writeRawValue(nodes.raw(i));
            }
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}

package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.maroonedpods.extender.filter.FilterDecision;

/**
 * Writes kube-scheduler's {@code ExtenderFilterResult{Nodes, NodeNames, FailedNodes, FailedAndUnresolvableNodes,
 * Error}} in the mode the request came in: NodeNames in, NodeNames out (Nodes null); Nodes in, Nodes out (NodeNames
 * null), each passing Node as the exact bytes the scheduler sent, and each name as the exact JSON text it came in.
 * Every rejection goes to FailedAndUnresolvableNodes: a node in FailedNodes would become a preemption candidate
 * although the pod can never use it. FailedNodes is always an empty object, so clients that index it never meet null.
 *
 * <p>The answer is assembled from bytes rather than through a JSON generator: it is mostly copies of the request
 * (names, whole Nodes) and a few reasons repeated thousands of times, each escaped once. This is the filter's hot
 * path at 5,000 nodes.
 */
public final class FilterResultWriter {
    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();

    private FilterResultWriter() {
    }

    public static void write(ExtenderArgs args, FilterDecision decision, ByteSink out) {
        out.ascii("{\"Nodes\":");
        if (args.namesMode()) {
            out.ascii("null,\"NodeNames\":[");
            String separator = "";
            for (int i = 0; i < decision.size(); i++) {
                if (decision.passes(i)) {
                    out.ascii(separator);
                    rawName(args, i, out);
                    separator = ",";
                }
            }
            out.ascii("]");
        } else {
            out.ascii("{\"metadata\":{},\"items\":[");
            String separator = "";
            for (int i = 0; i < decision.size(); i++) {
                if (decision.passes(i)) {
                    out.ascii(separator);
                    RawJson node = args.nodes().raw(i);
                    out.write(node.bytes(), node.offset(), node.length());
                    separator = ",";
                }
            }
            out.ascii("]},\"NodeNames\":null");
        }
        out.ascii(",\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":{");
        String separator = "";
        String lastReason = null;
        byte[] lastEncoded = null;
        for (int i = 0; i < decision.size(); i++) {
            String reason = decision.rejection(i);
            if (reason == null) {
                continue;
            }
            out.ascii(separator);
            if (args.namesMode()) {
                rawName(args, i, out);
            } else {
                quoted(ENCODER.quoteAsUTF8(args.nodes().name(i)), out);
            }
            out.write(':');
            if (reason != lastReason) {
                // Reasons are shared instances (see FilterDecision): consecutive nodes mostly repeat the last one.
                lastReason = reason;
                lastEncoded = ENCODER.quoteAsUTF8(reason);
            }
            quoted(lastEncoded, out);
            separator = ",";
        }
        out.ascii("},\"Error\":\"\"}");
    }

    /** The name exactly as the request spelled it: valid, already escaped JSON string content. */
    private static void rawName(ExtenderArgs args, int index, ByteSink out) {
        RawJson name = args.rawName(index);
        out.write('"');
        out.write(name.bytes(), name.offset(), name.length());
        out.write('"');
    }

    private static void quoted(byte[] escaped, ByteSink out) {
        out.write('"');
        out.write(escaped);
        out.write('"');
    }
}

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
    private static final String NAMES_OPEN = "{\"Nodes\":null,\"NodeNames\":[";
    private static final String NAMES_CLOSE = "]";
    private static final String NODES_OPEN = "{\"Nodes\":{\"metadata\":{},\"items\":[";
    private static final String NODES_CLOSE = "]},\"NodeNames\":null";
    private static final String FAILED_OPEN = ",\"FailedNodes\":{},\"FailedAndUnresolvableNodes\":{";
    private static final String FAILED_CLOSE = "},\"Error\":\"\"}";

    private FilterResultWriter() {}

    public static void write(ExtenderArgs args, FilterDecision decision, ByteSink out) {
        if (args.namesMode()) {
            out.reserveExactly(size(args, decision));
        } else {
            out.reserve(size(args, decision));
        }
        if (args.namesMode()) {
            out.ascii(NAMES_OPEN);
            writePassingNames(args.nodeNames(), decision, out);
            out.ascii(NAMES_CLOSE);
        } else {
            out.ascii(NODES_OPEN);
            String separator = "";
            for (int i = 0; i < decision.size(); i++) {
                if (decision.passes(i)) {
                    out.ascii(separator);
                    RawJson node = args.nodes().raw(i);
                    out.write(node.bytes(), node.offset(), node.length());
                    separator = ",";
                }
            }
            out.ascii(NODES_CLOSE);
        }
        out.ascii(FAILED_OPEN);
        String lastReason = null;
        byte[] afterName = null;
        String opening = "\"";
        for (int i = 0; i < decision.size(); i++) {
            String reason = decision.rejection(i);
            if (reason == null) {
                continue;
            }
            if (reason != lastReason) {
                // Reasons are shared instances (see FilterDecision): consecutive nodes mostly repeat the last one, so
                // what follows a name ("name":"reason") is encoded once per run of them.
                lastReason = reason;
                afterName = afterName(reason);
            }
            out.ascii(opening);
            if (args.namesMode()) {
                RawJson name = args.nodeNames().raw(i);
                out.write(name.bytes(), name.offset(), name.length());
            } else {
                out.write(ENCODER.quoteAsUTF8(args.nodes().name(i)));
            }
            out.write(afterName);
            opening = ",\"";
        }
        out.ascii(FAILED_CLOSE);
    }

    /**
     * The answer's length: exact for NodeNames requests; for full Nodes names are counted unescaped (a name that
     * needs escaping only makes the buffer grow once).
     */
    static int size(ExtenderArgs args, FilterDecision decision) {
        long size = (args.namesMode()
                        ? NAMES_OPEN.length() + NAMES_CLOSE.length()
                        : NODES_OPEN.length() + NODES_CLOSE.length())
                + FAILED_OPEN.length()
                + FAILED_CLOSE.length();
        int passed = 0;
        String lastReason = null;
        int lastLength = 0;
        for (int i = 0; i < decision.size(); i++) {
            int name = args.namesMode()
                    ? args.nodeNames().raw(i).length() + 2
                    : args.nodes().name(i).length() + 2;
            String reason = decision.rejection(i);
            if (reason == null) {
                size += 1 + (args.namesMode() ? name : args.nodes().raw(i).length());
                passed++;
                continue;
            }
            if (reason != lastReason) {
                lastReason = reason;
                lastLength = ENCODER.quoteAsUTF8(reason).length;
            }
            size += 1 + name + 1 + lastLength + 2;
        }
        // Each element above counted its separator; the first of each list has none.
        size -= (passed > 0 ? 1 : 0) + (passed < decision.size() ? 1 : 0);
        return (int) Math.min(size, Integer.MAX_VALUE - 16);
    }

    /**
     * The passing names exactly as the request spelled them (valid, already escaped JSON string content): a run of
     * names that passes and lay in the request with nothing but commas between them is copied as one slice. For an
     * ordinary pod that is the whole list, once.
     */
    private static void writePassingNames(NameSpans names, FilterDecision decision, ByteSink out) {
        String separator = "";
        for (int first = 0; first < decision.size(); first++) {
            if (!decision.passes(first)) {
                continue;
            }
            int last = first;
            while (last + 1 < decision.size() && decision.passes(last + 1) && names.nextFollowsClosely(last)) {
                last++;
            }
            out.ascii(separator);
            RawJson run = names.quotedRun(first, last);
            out.write(run.bytes(), run.offset(), run.length());
            separator = ",";
            first = last;
        }
    }

    /** {@code ":"<reason>"}: what follows a rejected node's name. */
    private static byte[] afterName(String reason) {
        byte[] encoded = ENCODER.quoteAsUTF8(reason);
        byte[] after = new byte[encoded.length + 4];
        after[0] = '"';
        after[1] = ':';
        after[2] = '"';
        System.arraycopy(encoded, 0, after, 3, encoded.length);
        after[after.length - 1] = '"';
        return after;
    }
}

package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.maroonedpods.extender.filter.PodBeingScheduled;
import java.io.IOException;

/**
 * Decodes {@link ExtenderArgs} in one streaming pass: the Pod as the few facts the decisions read ({@link PodJson}),
 * the Nodes as facts plus byte ranges (never as full Node objects: they carry managedFields and image lists, 3-15 KB
 * each), NodeNames as byte ranges too ({@link NameSpans}: no String per name). Names match case-insensitively,
 * unknown fields are skipped, every field may be null. NodeNames as kube-scheduler sends them (plain names, the body's
 * last field) are found without the parser; anything else goes through it.
 */
public final class ExtenderArgsReader {
    private final String taintKey;
    private final String schedulerName;

    /**
     * @param taintKey      the dedicated nodes' taint key
     * @param schedulerName the configured scheduler name: a pod naming it opts in
     */
    public ExtenderArgsReader(String taintKey, String schedulerName) {
        this.taintKey = taintKey;
        this.schedulerName = schedulerName;
    }

    public ExtenderArgs read(byte[] body) throws IOException {
        PodBeingScheduled pod = null;
        FullNodeCandidates nodes = null;
        NameSpans names = null;
        try (JsonParser parser = WireJson.FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new BadRequestException("request body is empty: expected JSON");
            }
            if (first != JsonToken.START_OBJECT) {
                throw JsonRead.wrongType("request body", "a JSON object (ExtenderArgs)", first);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equalsIgnoreCase("Pod")) {
                    pod = JsonRead.objectOrNull(parser, "Pod") ? PodJson.read(parser, schedulerName) : null;
                } else if (field.equalsIgnoreCase("Nodes")) {
                    nodes = JsonRead.objectOrNull(parser, "Nodes") ? readNodeList(parser, body) : null;
                } else if (field.equalsIgnoreCase("NodeNames")) {
                    if (!JsonRead.arrayOrNull(parser, "NodeNames")) {
                        names = null;
                        continue;
                    }
                    int open = (int) parser.currentTokenLocation().getByteOffset();
                    names = NameSpans.closingTheBody(body, open);
                    if (names != null) {
                        // kube-scheduler's order (Pod, Nodes, NodeNames): the names were the rest of the body.
                        return validated(new ExtenderArgs(pod, nodes, names));
                    }
                    names = readNames(parser, body, open);
                } else {
                    parser.skipChildren();
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new BadRequestException("request body: unexpected data after the JSON object");
            }
        }
        return validated(new ExtenderArgs(pod, nodes, names));
    }

    private static ExtenderArgs validated(ExtenderArgs args) {
        if (args.pod() == null) {
            throw new BadRequestException("Pod: required (got null or nothing)");
        }
        if (args.nodes() == null && args.nodeNames() == null) {
            throw new BadRequestException("Nodes and NodeNames are both null: send one of them");
        }
        if (args.nodes() != null && args.nodeNames() != null) {
            throw new BadRequestException("Nodes and NodeNames are both set: send exactly one of them");
        }
        return args;
    }

    private FullNodeCandidates readNodeList(JsonParser parser, byte[] body) throws IOException {
        FullNodeCandidates nodes = new FullNodeCandidates(body);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equalsIgnoreCase("items") && JsonRead.arrayOrNull(parser, "Nodes.items")) {
                readItems(parser, nodes);
            } else {
                parser.skipChildren();
            }
        }
        return nodes;
    }

    private void readItems(JsonParser parser, FullNodeCandidates nodes) throws IOException {
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String path = "Nodes.items[" + index++ + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw JsonRead.wrongType(path, "a Node object", parser.currentToken());
            }
            int start = (int) parser.currentTokenLocation().getByteOffset();
            var facts = NodeJson.read(parser, path, taintKey);
            int end = (int) parser.currentLocation().getByteOffset();
            nodes.add(facts, start, end);
        }
    }

    private static NameSpans readNames(JsonParser parser, byte[] body, int open) throws IOException {
        // Jackson checks the whole array is well-formed JSON, strings included, without decoding a string; then the
        // names are found in the bytes it checked.
        parser.skipChildren();
        return NameSpans.scan(body, open);
    }
}

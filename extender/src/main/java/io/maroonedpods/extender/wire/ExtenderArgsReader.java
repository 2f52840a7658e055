package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes {@link ExtenderArgs} in one streaming pass: the Pod through Jackson data binding, the Nodes as facts plus
 * byte ranges (never as full Node objects: they carry managedFields and image lists, 3-15 KB each), NodeNames as
 * strings. Names match case-insensitively, unknown fields are skipped, every field may be null.
 */
public final class ExtenderArgsReader {
    private final String taintKey;

    public ExtenderArgsReader(String taintKey) {
        this.taintKey = taintKey;
    }

    public ExtenderArgs read(byte[] body) throws IOException {
        Pod pod = null;
        SentNodes nodes = null;
        List<String> names = null;
        NameSpans spans = new NameSpans();
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
                    pod = JsonRead.objectOrNull(parser, "Pod") ? PodJson.read(parser) : null;
                } else if (field.equalsIgnoreCase("Nodes")) {
                    nodes = JsonRead.objectOrNull(parser, "Nodes") ? readNodeList(parser, body) : null;
                } else if (field.equalsIgnoreCase("NodeNames")) {
                    names = JsonRead.arrayOrNull(parser, "NodeNames") ? readNames(parser, spans, body.length) : null;
                } else {
                    parser.skipChildren();
                }
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new BadRequestException("request body: unexpected data after the JSON object");
            }
        }
        return validated(new ExtenderArgs(pod, nodes, names, body, spans.offsets));
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

    private SentNodes readNodeList(JsonParser parser, byte[] body) throws IOException {
        SentNodes nodes = new SentNodes(body);
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

    private void readItems(JsonParser parser, SentNodes nodes) throws IOException {
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

    private static List<String> readNames(JsonParser parser, NameSpans spans, int bodyLength) throws IOException {
        // Sized from the body (a name with its quotes and comma takes at least ~12 bytes): one array each instead
        // of a dozen doublings for 5,000 names (capped: a large Pod must not reserve room for names never sent).
        int expected = Math.clamp(bodyLength / 12, 16, 1 << 16);
        List<String> names = new ArrayList<>(expected);
        spans.offsets = new int[2 * expected];
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw JsonRead.wrongType("NodeNames[" + index + "]", "a string", parser.currentToken());
            }
            // The parser stands after the opening quote; reading the text moves it past the closing one.
            int start = (int) parser.currentTokenLocation().getByteOffset() + 1;
            names.add(parser.getText());
            spans.add(index, start, (int) parser.currentLocation().getByteOffset() - 1);
            index++;
        }
        return names;
    }

    /** Start and end offsets of each name, in pairs, growing as names are read. */
    private static final class NameSpans {
        int[] offsets;

        void add(int index, int start, int end) {
            if (2 * index + 1 >= offsets.length) {
                offsets = Arrays.copyOf(offsets, offsets.length * 2);
            }
            offsets[2 * index] = start;
            offsets[2 * index + 1] = end;
        }
    }
}

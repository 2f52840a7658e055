package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.filter.NodeFacts;
import java.io.IOException;

/**
 * Reads the {@link NodeFacts} of one Node straight from the request stream, skipping what filtering never looks at
 * (managedFields, images, addresses...). Field names match case-insensitively, as Go's decoder does.
 */
final class NodeJson {
    private static final String[] CONDITION_FIELDS = {"type", "status"};

    private NodeJson() {}

    /** The parser is at the node's START_OBJECT; returns with the parser at its END_OBJECT. */
    static NodeFacts read(JsonParser parser, String path, String taintKey) throws IOException {
        Builder node = new Builder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equalsIgnoreCase("metadata") && JsonRead.objectOrNull(parser, path + ".metadata")) {
                readMetadata(parser, path + ".metadata", node);
            } else if (field.equalsIgnoreCase("spec") && JsonRead.objectOrNull(parser, path + ".spec")) {
                readSpec(parser, path + ".spec", taintKey, node);
            } else if (field.equalsIgnoreCase("status") && JsonRead.objectOrNull(parser, path + ".status")) {
                readStatus(parser, path + ".status", node);
            } else {
                parser.skipChildren();
            }
        }
        if (node.name == null || node.name.isEmpty()) {
            throw new BadRequestException(path + ".metadata.name: required");
        }
        return new NodeFacts(
                node.name,
                node.verified,
                node.self,
                node.pool,
                node.dedicatedTaint,
                node.ready,
                node.unschedulable,
                node.deleting);
    }

    private static void readMetadata(JsonParser parser, String path, Builder node) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equalsIgnoreCase("name")) {
                node.name = JsonRead.stringOrNull(parser, path + ".name");
            } else if (field.equalsIgnoreCase("deletionTimestamp")) {
                node.deleting = JsonRead.stringOrNull(parser, path + ".deletionTimestamp") != null;
            } else if (field.equalsIgnoreCase("labels") && JsonRead.objectOrNull(parser, path + ".labels")) {
                readLabels(parser, path + ".labels", node);
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
    }

    private static void readLabels(JsonParser parser, String path, Builder node) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            parser.nextToken();
            String value = JsonRead.stringOrNull(parser, path + "[" + key + "]");
            // Label keys are case-sensitive map keys, not Go field names.
            switch (key) {
                case Names.VERIFIED_POD_UID_LABEL -> node.verified = value;
                case Names.POD_UID_LABEL -> node.self = value;
                case Names.POOL_LABEL -> node.pool = "true".equals(value);
                default -> {}
            }
        }
    }

    private static void readSpec(JsonParser parser, String path, String taintKey, Builder node) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equalsIgnoreCase("unschedulable")) {
                node.unschedulable = JsonRead.booleanOrNull(parser, path + ".unschedulable");
            } else if (field.equalsIgnoreCase("taints") && JsonRead.arrayOrNull(parser, path + ".taints")) {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String[] key = new String[1];
                    readStrings(parser, path + ".taints[" + index++ + "]", new String[] {"key"}, key);
                    node.dedicatedTaint |= taintKey.equals(key[0]);
                }
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
    }

    private static void readStatus(JsonParser parser, String path, Builder node) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equalsIgnoreCase("conditions") && JsonRead.arrayOrNull(parser, path + ".conditions")) {
                int index = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    String[] typeAndStatus = new String[2];
                    readStrings(parser, path + ".conditions[" + index++ + "]", CONDITION_FIELDS, typeAndStatus);
                    if ("Ready".equals(typeAndStatus[0])) {
                        node.ready = "True".equals(typeAndStatus[1]);
                    }
                }
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
    }

    /**
     * Reads one array element that must be an object (or null), filling {@code values[i]} with its string field
     * {@code names[i]} (matched case-insensitively) and skipping every other field.
     */
    private static void readStrings(JsonParser parser, String path, String[] names, String[] values)
            throws IOException {
        if (!JsonRead.objectOrNull(parser, path)) {
            return;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            int wanted = indexOfIgnoreCase(names, field);
            if (wanted >= 0) {
                values[wanted] = JsonRead.stringOrNull(parser, path + "." + names[wanted]);
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
    }

    private static int indexOfIgnoreCase(String[] names, String field) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(field)) {
                return i;
            }
        }
        return -1;
    }

    private static final class Builder {
        String name;
        String verified;
        String self;
        boolean pool;
        boolean dedicatedTaint;
        boolean ready;
        boolean unschedulable;
        boolean deleting;
    }
}

package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.OptIn;
import io.maroonedpods.extender.filter.PodBeingScheduled;
import java.io.IOException;

/**
 * Reads the {@link PodBeingScheduled} of a filter or prioritize call straight from the request stream: the six fields
 * the decisions read, type-checked, and nothing else built. kube-scheduler sends the whole Pod (containers, volumes,
 * managedFields); the rest is skipped, checked as JSON only, as Go's decoder skips what its struct does not name and
 * as {@link NodeJson} skips a Node's. Field names match case-insensitively, label keys exactly.
 */
final class PodJson {
    private PodJson() {}

    /** The parser is at the Pod's START_OBJECT; returns with the parser at its END_OBJECT. */
    static PodBeingScheduled read(JsonParser parser, String schedulerName) throws IOException {
        Builder pod = new Builder();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            // A field given twice (or null) replaces what came before, as data binding does.
            if (field.equalsIgnoreCase("metadata")) {
                pod.uid = pod.namespace = pod.name = pod.optIn = null;
                pod.daemonSet = false;
                if (JsonRead.objectOrNull(parser, "Pod.metadata")) {
                    readMetadata(parser, pod);
                }
            } else if (field.equalsIgnoreCase("spec")) {
                pod.schedulerName = null;
                if (JsonRead.objectOrNull(parser, "Pod.spec")) {
                    readSpec(parser, pod);
                }
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
        return new PodBeingScheduled(
                pod.uid,
                pod.namespace,
                pod.name,
                OptIn.isMaroon(pod.schedulerName, pod.optIn, schedulerName),
                pod.daemonSet);
    }

    private static void readMetadata(JsonParser parser, Builder pod) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equalsIgnoreCase("uid")) {
                pod.uid = JsonRead.stringOrNull(parser, "Pod.metadata.uid");
            } else if (field.equalsIgnoreCase("name")) {
                pod.name = JsonRead.stringOrNull(parser, "Pod.metadata.name");
            } else if (field.equalsIgnoreCase("namespace")) {
                pod.namespace = JsonRead.stringOrNull(parser, "Pod.metadata.namespace");
            } else if (field.equalsIgnoreCase("labels")) {
                pod.optIn = JsonRead.objectOrNull(parser, "Pod.metadata.labels") ? readOptIn(parser) : null;
            } else if (field.equalsIgnoreCase("ownerReferences")) {
                pod.daemonSet = JsonRead.arrayOrNull(parser, "Pod.metadata.ownerReferences") && readOwners(parser);
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
    }

    /** The opt-in label's value (null when absent); every label value must be a string or null. */
    private static String readOptIn(JsonParser parser) throws IOException {
        String optIn = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonToken value = parser.nextToken();
            // Only the opt-in label's value is decoded; the others are type-checked, with no String made per label.
            if (key.equals(Names.OPT_IN_LABEL)) {
                optIn = JsonRead.stringOrNull(parser, "Pod.metadata.labels[" + key + "]");
            } else if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                throw JsonRead.wrongType("Pod.metadata.labels[" + key + "]", "a string", value);
            }
        }
        return optIn;
    }

    /** True when one of the owners is a DaemonSet that controls the pod. */
    private static boolean readOwners(JsonParser parser) throws IOException {
        boolean daemonSet = false;
        int index = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            String path = "Pod.metadata.ownerReferences[" + index++ + "]";
            // The decisions read every owner: a null one is refused rather than guessed at.
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw JsonRead.wrongType(path, "an object", parser.currentToken());
            }
            String kind = null;
            boolean controller = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equalsIgnoreCase("kind")) {
                    kind = JsonRead.stringOrNull(parser, path + ".kind");
                } else if (field.equalsIgnoreCase("controller")) {
                    controller = JsonRead.booleanOrNull(parser, path + ".controller");
                } else if (value.isStructStart()) {
                    parser.skipChildren();
                }
            }
            daemonSet |= controller && "DaemonSet".equals(kind);
        }
        return daemonSet;
    }

    private static void readSpec(JsonParser parser, Builder pod) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equalsIgnoreCase("schedulerName")) {
                pod.schedulerName = JsonRead.stringOrNull(parser, "Pod.spec.schedulerName");
            } else if (value.isStructStart()) {
                parser.skipChildren();
            }
        }
    }

    private static final class Builder {
        String uid;
        String namespace;
        String name;
        String schedulerName;
        String optIn;
        boolean daemonSet;
    }
}

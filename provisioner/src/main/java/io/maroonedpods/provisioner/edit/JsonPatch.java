package io.maroonedpods.provisioner.edit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.Map;

/**
 * The RFC 6902 JSON patch that turns one state of an object into another: an {@code add} (which replaces a member
 * that is there) for each field that changed, a {@code remove} for each that went away, arrays whole. A JSON patch
 * rather than a merge patch because its meaning for arrays is exact everywhere; an empty patch means nothing to write.
 */
public final class JsonPatch {
    private JsonPatch() {
    }

    public static ArrayNode between(JsonNode before, JsonNode after) {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        collect("", before, after, ops);
        return ops;
    }

    /** An op that sets one member, e.g. {@code metadata/resourceVersion}. */
    public static JsonNode add(String path, JsonNode value) {
        return JsonNodeFactory.instance.objectNode().put("op", "add").put("path", path).set("value", value);
    }

    /** An op that lets the whole patch apply only while the member has this value (else the API server answers 422). */
    public static JsonNode test(String path, JsonNode value) {
        return JsonNodeFactory.instance.objectNode().put("op", "test").put("path", path).set("value", value);
    }

    /** The JSON pointer (RFC 6901) to a member by its names, e.g. {@code /metadata/labels/a~1b}. */
    public static String pointer(String... names) {
        StringBuilder path = new StringBuilder();
        for (String name : names) {
            path.append('/').append(escape(name));
        }
        return path.toString();
    }

    private static void collect(String at, JsonNode before, JsonNode after, ArrayNode ops) {
        for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (present(before.get(name)) && !present(after.get(name))) {
                ops.addObject().put("op", "remove").put("path", at + "/" + escape(name));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = after.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode old = before.get(field.getKey());
            JsonNode now = field.getValue();
            String path = at + "/" + escape(field.getKey());
            if (!present(now) || now.equals(old)) {
                continue;
            }
            if (now.isObject() && old != null && old.isObject()) {
                collect(path, old, now, ops);
            } else {
                ops.add(add(path, now));
            }
        }
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    /** RFC 6901: annotation and label keys carry slashes. */
    private static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}

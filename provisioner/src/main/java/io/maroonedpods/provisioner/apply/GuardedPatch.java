package io.maroonedpods.provisioner.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON patch (RFC 6902) that turns the copy at hand into the desired object, guarded so that it applies only while
 * what it changes is still as in that copy: a {@code test} of the old value before each {@code replace} or
 * {@code remove}, and of the whole array before any change inside an array (element operations name indexes). Other
 * writers' changes elsewhere in the object (a scheduler's condition, a kubelet's status) do not spoil it, as a
 * resourceVersion precondition on the whole object would; a guard that fails makes the API server answer 422.
 * Adding a whole map or list that the copy lacks cannot be guarded that way (JSON patch cannot test that a member is
 * absent), so such a patch also needs the copy's resourceVersion ({@link #needsVersion}). Pure.
 *
 * @param ops          the operations, guards first; empty when nothing changes
 * @param needsVersion whether the copy's resourceVersion must guard the patch as well
 */
public record GuardedPatch(ArrayNode ops, boolean needsVersion) {
    private static final EnumSet<DiffFlags> FLAGS =
            EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION, DiffFlags.OMIT_VALUE_ON_REMOVE);

    public static GuardedPatch between(JsonNode before, JsonNode after) {
        return between(before, after, List.of());
    }

    /**
     * As {@link #between(JsonNode, JsonNode)}, guarded as well by members the change need not touch: {@code held}
     * (JSON pointers) must still be as in {@code before}, e.g. a claim's labels, so that another claim in between makes
     * the patch a 422. A held member {@code before} lacks cannot be tested: the resourceVersion guards instead.
     */
    public static GuardedPatch between(JsonNode before, JsonNode after, List<String> held) {
        ArrayNode ops = JsonNodeFactory.instance.arrayNode();
        Set<String> guardedArrays = new HashSet<>();
        boolean needsVersion = false;
        ArrayNode diff = (ArrayNode) JsonDiff.asJson(before, after, FLAGS);
        if (diff.isEmpty()) {
            return new GuardedPatch(ops, false);
        }
        for (String pointer : held) {
            JsonNode value = before.at(pointer);
            if (value.isMissingNode()) {
                needsVersion = true;
            } else {
                ops.add(test(pointer, value));
            }
        }
        for (JsonNode op : diff) {
            String path = op.path("path").asText();
            String array = outermostArray(before, path);
            String kind = op.path("op").asText();
            if (array != null) {
                if (guardedArrays.add(array)) {
                    ops.add(test(array, before.at(array)));
                }
            } else if (kind.equals("replace") || kind.equals("remove")) {
                ops.add(test(path, before.at(path)));
            } else if (kind.equals("add") && op.path("value").isContainerNode()) {
                needsVersion = true;
            }
            ops.add(op);
        }
        return new GuardedPatch(ops, needsVersion);
    }

    public boolean isEmpty() {
        return ops.isEmpty();
    }

    /**
     * The body to send: with {@code resourceVersion} as the object's version after the patch when it is needed. A
     * patch locked to the version needs no guards (and the API server's JSON can hold explicit nulls a copy read
     * through typed objects does not, e.g. a pod condition's {@code lastProbeTime}: a guard on such a list would
     * always fail).
     */
    public String body(String resourceVersion, boolean lockVersion) {
        if (!lockVersion && !needsVersion) {
            return ops.toString();
        }
        ArrayNode locked = JsonNodeFactory.instance.arrayNode();
        for (JsonNode op : ops) {
            if (!lockVersion || !op.path("op").asText().equals("test")) {
                locked.add(op);
            }
        }
        locked.add(op("add", "/metadata/resourceVersion").put("value", resourceVersion));
        return locked.toString();
    }

    /** An op that lets the whole patch apply only while the member has this value (else the API server answers 422). */
    public static ObjectNode test(String path, JsonNode value) {
        return op("test", path).set("value", value);
    }

    /** An op that sets one member (replacing it if it is there). */
    public static ObjectNode add(String path, JsonNode value) {
        return op("add", path).set("value", value);
    }

    /** The JSON pointer (RFC 6901) to a member by its names, e.g. {@code /metadata/labels/a~1b}. */
    public static String pointer(String... names) {
        StringBuilder path = new StringBuilder();
        for (String name : names) {
            path.append('/').append(name.replace("~", "~0").replace("/", "~1"));
        }
        return path.toString();
    }

    private static ObjectNode op(String kind, String path) {
        return JsonNodeFactory.instance.objectNode().put("op", kind).put("path", path);
    }

    /** The pointer to the outermost array the path goes into (not the member it names), or null. */
    private static String outermostArray(JsonNode root, String path) {
        List<String> tokens = List.of(path.substring(1).split("/", -1));
        JsonNode node = root;
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < tokens.size() - 1 && node != null; i++) {
            String token = tokens.get(i);
            at.append('/').append(token);
            node = node.isArray()
                    ? node.get(Integer.parseInt(token))
                    : node.get(token.replace("~1", "/").replace("~0", "~"));
            if (node != null && node.isArray()) {
                return at.toString();
            }
        }
        return null;
    }
}

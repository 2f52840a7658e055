package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One version of a stored object. Never changed once stored (every write stores a new one), so it is read, listed,
 * serialised and sent to watchers without the store's lock; its JSON is rendered once, on first need.
 */
public final class Stored {
    static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode object;
    private final long resourceVersion;
    private volatile byte[] json;

    Stored(ObjectNode object, long resourceVersion) {
        this.object = object;
        this.resourceVersion = resourceVersion;
    }

    /** The object itself: callers must not change it (copy it first). */
    public ObjectNode object() {
        return object;
    }

    public long resourceVersion() {
        return resourceVersion;
    }

    public String namespace() {
        return object.path("metadata").path("namespace").asText("");
    }

    public String name() {
        return object.path("metadata").path("name").asText();
    }

    /** The value of one of its labels, or "" when it has none by that key. */
    public String label(String key) {
        return object.path("metadata").path("labels").path(key).asText("");
    }

    public byte[] json() {
        byte[] rendered = json;
        if (rendered == null) {
            try {
                rendered = JSON.writeValueAsBytes(object);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a stored object does not serialise", e);
            }
            json = rendered;
        }
        return rendered;
    }

    public String text() {
        return new String(json(), java.nio.charset.StandardCharsets.UTF_8);
    }
}

package io.maroonedpods.simulator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wraps the CRUD mock's watch of a whole collection so that its watcher sees only the objects a field selector
 * selects, with the ADDED/DELETED transitions the real API server sends when an object starts or stops matching.
 */
final class SelectedWatch extends DelegatingWatch {
    private final FieldSelector selector;
    private final ObjectMapper json;
    private final Set<String> visible = ConcurrentHashMap.newKeySet();

    SelectedWatch(WebSocketListener delegate, FieldSelector selector, ObjectMapper json) {
        super(delegate);
        this.selector = selector;
        this.json = json;
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        delegate.onOpen(new Filtering(webSocket), response);
    }

    /** The event to send instead of the given one, or empty to send nothing. */
    Optional<String> filter(String eventText) {
        JsonNode event;
        try {
            event = json.readTree(eventText);
        } catch (IOException e) {
            return Optional.of(eventText);
        }
        JsonNode object = event.path("object");
        String key = object.path("metadata").path("namespace").asText() + "/" + object.path("metadata").path("name").asText();
        boolean matches = selector.matches(object);
        Optional<String> type = WatchVisibility.translate(event.path("type").asText(), matches, visible.contains(key));
        type.ifPresent(t -> {
            if (t.equals("DELETED")) {
                visible.remove(key);
            } else if (t.equals("ADDED") || t.equals("MODIFIED")) {
                visible.add(key);
            }
        });
        return type.map(t -> {
            ObjectNode copy = ((ObjectNode) event).deepCopy();
            copy.put("type", t);
            return copy.toString();
        });
    }

    private final class Filtering implements WebSocket {
        private final WebSocket socket;

        Filtering(WebSocket socket) {
            this.socket = socket;
        }

        @Override
        public RecordedRequest request() {
            return socket.request();
        }

        @Override
        public boolean send(String text) {
            return filter(text).map(socket::send).orElse(true);
        }

        @Override
        public boolean send(byte[] bytes) {
            return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public boolean close(int code, String reason) {
            return socket.close(code, reason);
        }
    }
}

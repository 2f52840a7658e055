package io.maroonedpods.simulator.cluster;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.Set;

/**
 * A component's watch that the API server can end on purpose, the way kube-apiserver ends a watch whose history was
 * compacted: an ERROR event with a 410 Expired Status, then the close. Clients must relist and watch again, which
 * also recovers deletions they would otherwise have missed.
 */
final class DroppableWatch extends DelegatingWatch {
    static final String EXPIRED = "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
            + "\"status\":\"Failure\",\"message\":\"too old resource version (simulated watch drop)\",\"reason\":\"Expired\","
            + "\"code\":410}}";

    private final Set<DroppableWatch> open;
    private volatile WebSocket socket;

    DroppableWatch(WebSocketListener delegate, Set<DroppableWatch> open) {
        super(delegate);
        this.open = open;
    }

    /** Ends the watch: the 410 event, then a normal close. */
    void drop() {
        WebSocket current = socket;
        if (current != null) {
            current.send(EXPIRED);
            current.close(1000, "simulated watch drop");
        }
        open.remove(this);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        socket = webSocket;
        open.add(this);
        delegate.onOpen(webSocket, response);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        open.remove(this);
        delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        open.remove(this);
        delegate.onFailure(webSocket, error, response);
    }
}

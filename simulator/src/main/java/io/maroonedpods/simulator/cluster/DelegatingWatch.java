package io.maroonedpods.simulator.cluster;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/** A watch's WebSocket listener that passes everything to the CRUD mock's own; subclasses change what they need. */
abstract class DelegatingWatch extends WebSocketListener {
    protected final WebSocketListener delegate;

    DelegatingWatch(WebSocketListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void onBeforeAccept(WebSocket webSocket, Response response) {
        delegate.onBeforeAccept(webSocket, response);
    }

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
        delegate.onOpen(webSocket, response);
    }

    @Override
    public void onMessage(WebSocket webSocket, String text) {
        delegate.onMessage(webSocket, text);
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        delegate.onClosing(webSocket, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        delegate.onClosed(webSocket, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable error, Response response) {
        delegate.onFailure(webSocket, error, response);
    }
}

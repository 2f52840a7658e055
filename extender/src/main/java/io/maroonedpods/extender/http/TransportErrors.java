package io.maroonedpods.extender.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.maroonedpods.extender.wire.WireJson;

/**
 * Requests Helidon refuses before any route runs (a malformed request line, oversized headers, a compressed body)
 * are answered in the same shape as ours, {@code {"Error": "..."}}, never with a server page or a stack trace.
 */
public final class TransportErrors implements DirectHandler {

    private TransportErrors() {
    }

    public static DirectHandlers handlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, new TransportErrors());
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        Status answer = status;
        String text = message == null || message.isBlank() ? status.reasonPhrase() : message;
        if (eventType == EventType.INTERNAL_ERROR) {
            text = "internal error, see extender log";
        } else if (request.headers().contains(HeaderNames.CONTENT_ENCODING)) {
            answer = Status.UNSUPPORTED_MEDIA_TYPE_415;
            text = "Content-Encoding " + request.headers().get(HeaderNames.CONTENT_ENCODING).get()
                    + " not supported: send the body uncompressed";
        }
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        return TransportResponse.builder()
                .status(answer)
                .headers(headers)
                .entity(WireJson.errorBody(text))
                .keepAlive(eventType.keepAlive())
                .build();
    }
}

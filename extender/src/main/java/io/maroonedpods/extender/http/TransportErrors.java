package io.maroonedpods.extender.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.maroonedpods.extender.wire.WireJson;
import java.util.List;

/**
 * Requests Helidon refuses before any route runs (a malformed request line, oversized headers, a compressed body)
 * are answered in the same shape as ours, {@code {"Error": "..."}}, never with a server page or a stack trace.
 */
public final class TransportErrors implements DirectHandler {

    private final long bodyLimit;

    private TransportErrors(long bodyLimit) {
        this.bodyLimit = bodyLimit;
    }

    /** @param bodyLimit the server's max payload size, named in the 413 refusal */
    public static DirectHandlers handlers(long bodyLimit) {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        TransportErrors handler = new TransportErrors(bodyLimit);
        for (EventType type : EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status status,
            ServerResponseHeaders headers,
            String message) {
        Status answer = status;
        String text = message == null || message.isBlank() ? status.reasonPhrase() : message;
        String framing = FramingCheck.problem(
                values(request, HeaderNames.CONTENT_LENGTH), values(request, HeaderNames.TRANSFER_ENCODING));
        if (eventType == EventType.INTERNAL_ERROR) {
            text = "internal error, see extender log";
        } else if (status.code() == 413) {
            long declared = request.headers().contentLength().orElse(-1);
            text = "request body " + (declared >= 0 ? "of " + declared + " bytes " : "") + "exceeds the limit of "
                    + bodyLimit + " bytes (extender.bodyLimitBytes)";
        } else if (framing != null) {
            // Helidon refuses a Content-Length it cannot parse before any route runs; say what is wrong with it.
            answer = Status.BAD_REQUEST_400;
            text = framing;
        } else if (request.headers().contains(HeaderNames.CONTENT_ENCODING)) {
            answer = Status.UNSUPPORTED_MEDIA_TYPE_415;
            text = "Content-Encoding "
                    + request.headers().get(HeaderNames.CONTENT_ENCODING).get()
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

    private static List<String> values(TransportRequest request, HeaderName name) {
        return request.headers().contains(name) ? request.headers().get(name).allValues() : List.of();
    }
}

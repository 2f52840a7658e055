package io.maroonedpods.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maroonedpods.extender.wire.WireJson;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Sends JSON bodies, gzipped when the client accepts gzip (kube-scheduler always does) and the body is large enough
 * for compression to pay: a 5,000-node answer shrinks about tenfold, a 100-byte one would only grow.
 */
final class JsonResponses {
    private JsonResponses() {
    }

    static void send(ServerRequest req, ServerResponse res, int status, byte[] body, int length, int gzipMinBytes) {
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (length >= gzipMinBytes && acceptsGzip(req)) {
            byte[] gzipped = Gzip.compress(body, length);
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.header(HeaderNames.VARY, "Accept-Encoding");
            res.send(gzipped);
        } else {
            res.send(body, 0, length);
        }
    }

    /**
     * Starts a 200 answer sent in pieces as it is written, for answers too large to hold whole: gzipped when the
     * client accepts gzip and the answer is expected to reach {@code gzipMinBytes}; else with its Content-Length when
     * that is known exactly (Helidon then writes each piece from the caller's buffer), chunked otherwise (Helidon
     * copies each chunk to frame it).
     */
    static OutputStream stream(ServerRequest req, ServerResponse res, long expectedBytes, boolean exact,
                               int gzipMinBytes) throws IOException {
        res.status(Status.OK_200);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        if (expectedBytes >= gzipMinBytes && acceptsGzip(req)) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.header(HeaderNames.VARY, "Accept-Encoding");
            return Gzip.stream(res.outputStream());
        }
        if (exact) {
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(expectedBytes));
        }
        return res.outputStream();
    }

    static void sendError(ServerRequest req, ServerResponse res, ErrorTable.Failure failure) {
        byte[] body = WireJson.errorBody(failure.message());
        send(req, res, failure.status(), body, body.length, Integer.MAX_VALUE);
    }

    static boolean acceptsGzip(ServerRequest req) {
        for (String header : req.headers().values(HeaderNames.ACCEPT_ENCODING)) {
            for (String value : header.split(",")) {
                String[] parts = value.trim().split(";");
                if (parts[0].trim().equalsIgnoreCase("gzip")) {
                    return parts.length < 2 || !parts[1].replace(" ", "").matches("q=0(\\.0*)?");
                }
            }
        }
        return false;
    }
}

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
    private JsonResponses() {}

    static void send(ServerRequest req, ServerResponse res, int status, byte[] body, int length, int gzipMinBytes) {
        if (startJson(req, res, status, length, gzipMinBytes)) {
            res.send(Gzip.compress(body, length));
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
    static OutputStream stream(
            ServerRequest req, ServerResponse res, long expectedBytes, boolean exact, int gzipMinBytes)
            throws IOException {
        if (startJson(req, res, 200, expectedBytes, gzipMinBytes)) {
            return Gzip.stream(res.outputStream());
        }
        if (exact) {
            res.header(HeaderNames.CONTENT_LENGTH, Long.toString(expectedBytes));
        }
        return res.outputStream();
    }

    /** Sets the status and the JSON headers; true (and the gzip headers set) when the body is to be gzipped. */
    private static boolean startJson(ServerRequest req, ServerResponse res, int status, long length, int gzipMinBytes) {
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        boolean gzip = length >= gzipMinBytes && acceptsGzip(req);
        if (gzip) {
            res.header(HeaderNames.CONTENT_ENCODING, "gzip");
            res.header(HeaderNames.VARY, "Accept-Encoding");
        }
        return gzip;
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

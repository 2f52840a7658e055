package io.maroonedpods.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.maroonedpods.extender.wire.BadRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Checks the headers of a scheduler call and reads its body as it arrives ({@link ArrivingBody}), refusing anything
 * over the configured limit or slower than the read timeout ({@link StalledConnections}). The array returned is
 * charged to the budget by its length until the caller gives it back.
 */
final class RequestBody {
    private RequestBody() {}

    /**
     * Refuses a call whose headers already say it cannot be served, before any of its body is read. A declared length
     * over the limit never gets here: Helidon refuses it (maxPayloadSize).
     */
    static void check(ServerRequest req) {
        checkContentType(req);
        if (req.headers().contains(HeaderNames.CONTENT_ENCODING)) {
            String encoding = req.headers().get(HeaderNames.CONTENT_ENCODING).values();
            if (!encoding.equalsIgnoreCase("identity")) {
                throw new BadRequestException(
                        415, "Content-Encoding " + encoding + " not supported: send the body uncompressed");
            }
        }
        if (!req.content().hasEntity()) {
            throw new BadRequestException("request body is empty: expected JSON");
        }
    }

    /** Reads the body of a call that passed {@link #check}; one stopped by the read timeout is answered 408. */
    static byte[] read(ServerRequest req, BodyBudget budget, StalledConnections connections) throws IOException {
        // Not closed when the read fails: closing reads on to the end of the body, and the connection is closed
        // after the refusal anyway (VerbHandler).
        InputStream in = req.content().inputStream();
        byte[] body = ArrivingBody.read(
                in, budget, () -> connections.cutShort(req.remotePeer().address()), connections.timeoutSeconds());
        in.close();
        return body;
    }

    private static void checkContentType(ServerRequest req) {
        if (!req.headers().contains(HeaderNames.CONTENT_TYPE)) {
            throw new BadRequestException(415, "Content-Type missing: send application/json");
        }
        // values(), not get(): get() goes through Helidon's mapper registry, a service lookup on every request.
        String contentType =
                req.headers().get(HeaderNames.CONTENT_TYPE).values().toLowerCase(Locale.ROOT);
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equals("application/json")) {
            throw new BadRequestException(
                    415, "Content-Type " + parts[0].trim() + " not supported: send " + "application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.startsWith("charset=") && !param.equals("charset=utf-8") && !param.equals("charset=\"utf-8\"")) {
                throw new BadRequestException(415, "Content-Type " + param + " not supported: send UTF-8");
            }
        }
    }
}

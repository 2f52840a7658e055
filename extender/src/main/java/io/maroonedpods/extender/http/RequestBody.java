package io.maroonedpods.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.maroonedpods.extender.wire.BadRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/** Checks the headers of a scheduler call and reads its body, refusing anything over the configured limit. */
final class RequestBody {
    private RequestBody() {
    }

    static byte[] read(ServerRequest req, long limit) throws IOException {
        checkContentType(req);
        if (req.headers().contains(HeaderNames.CONTENT_ENCODING)) {
            String encoding = req.headers().get(HeaderNames.CONTENT_ENCODING).values();
            if (!encoding.equalsIgnoreCase("identity")) {
                throw new BadRequestException(415, "Content-Encoding " + encoding
                        + " not supported: send the body uncompressed");
            }
        }
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > limit) {
            throw tooLarge(limit, declared);
        }
        if (!req.content().hasEntity()) {
            throw new BadRequestException("request body is empty: expected JSON");
        }
        try (InputStream in = req.content().inputStream()) {
            // Exactly the declared length: the usual body is read into one array and handed on without a copy.
            byte[] buffer = new byte[(int) Math.max(1, declared >= 0 ? declared : Math.min(16 * 1024, limit))];
            int length = 0;
            while (true) {
                int read = in.read(buffer, length, buffer.length - length);
                if (read < 0) {
                    break;
                }
                length += read;
                if (length == buffer.length) {
                    int next = in.read();
                    if (next < 0) {
                        break;
                    }
                    if (length + 1 > limit) {
                        throw tooLarge(limit, -1);
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min((long) buffer.length * 2, limit + 1));
                    buffer[length++] = (byte) next;
                }
            }
            if (length > limit) {
                throw tooLarge(limit, -1);
            }
            if (length == 0) {
                throw new BadRequestException("request body is empty: expected JSON");
            }
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        }
    }

    private static void checkContentType(ServerRequest req) {
        if (!req.headers().contains(HeaderNames.CONTENT_TYPE)) {
            throw new BadRequestException(415, "Content-Type missing: send application/json");
        }
        // values(), not get(): get() goes through Helidon's mapper registry, a service lookup on every request.
        String contentType = req.headers().get(HeaderNames.CONTENT_TYPE).values().toLowerCase(Locale.ROOT);
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equals("application/json")) {
            throw new BadRequestException(415, "Content-Type " + parts[0].trim() + " not supported: send "
                    + "application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            if (param.startsWith("charset=") && !param.equals("charset=utf-8") && !param.equals("charset=\"utf-8\"")) {
                throw new BadRequestException(415, "Content-Type " + param + " not supported: send UTF-8");
            }
        }
    }

    private static BadRequestException tooLarge(long limit, long declared) {
        return new BadRequestException(413, "request body " + (declared >= 0 ? "of " + declared + " bytes " : "")
                + "exceeds the limit of " + limit + " bytes (extender.bodyLimitBytes)");
    }
}

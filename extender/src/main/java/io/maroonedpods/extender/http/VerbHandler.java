package io.maroonedpods.extender.http;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import io.maroonedpods.extender.wire.BadRequestException;
import io.maroonedpods.extender.wire.ByteSink;
import java.security.cert.Certificate;

/**
 * Wraps one scheduler verb: checks the caller and the headers, reads the body within the limit, runs the verb, and
 * answers 200 with its JSON, or the status and message of the {@link ErrorTable}. Counts and times every request.
 * An answer larger than {@link #CHUNK_BYTES} goes out in chunks while the verb writes it (see {@link ByteSink}).
 */
public final class VerbHandler implements Handler {
    /** An answer up to this size is sent whole, with its length; a larger one in pieces of this size. */
    static final int CHUNK_BYTES = 64 * 1024;

    /** A verb: JSON request body in, JSON answer written out. */
    @FunctionalInterface
    public interface Verb {
        void handle(byte[] body, ByteSink out) throws Exception;
    }

    private final String name;
    private final Verb verb;
    private final ExtenderMetrics metrics;
    private final long bodyLimit;
    private final int gzipMinBytes;
    private final boolean requireClientCert;
    private final SinkPool sinks = new SinkPool();

    public VerbHandler(String name, Verb verb, ExtenderMetrics metrics, long bodyLimit, int gzipMinBytes,
                       boolean requireClientCert) {
        this.name = name;
        this.verb = verb;
        this.metrics = metrics;
        this.bodyLimit = bodyLimit;
        this.gzipMinBytes = gzipMinBytes;
        this.requireClientCert = requireClientCert;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        long start = System.nanoTime();
        int status = 200;
        ByteSink out = null;
        try {
            if (requireClientCert && !hasVerifiedClientCertificate(req)) {
                throw new BadRequestException(403, "client certificate required: only the scheduler may call "
                        + req.path().path());
            }
            byte[] body = RequestBody.read(req, bodyLimit);
            out = sinks.take();
            out.spillTo((expected, exact) -> JsonResponses.stream(req, res, expected, exact, gzipMinBytes),
                    CHUNK_BYTES);
            verb.handle(body, out);
            if (out.spilled()) {
                out.finish();
            } else {
                JsonResponses.send(req, res, 200, out.buffer(), out.size(), gzipMinBytes);
            }
        } catch (Throwable e) {
            if (out != null && out.spilled()) {
                // Part of the answer is out: no error status can follow it. Helidon drops the connection, and the
                // scheduler sees a failed call.
                status = 500;
                throw e;
            }
            ErrorTable.Failure failure = ErrorTable.of(e);
            status = failure.status();
            JsonResponses.sendError(req, res, failure);
        } finally {
            if (out != null) {
                sinks.give(out);
            }
            metrics.request(name, status, System.nanoTime() - start);
        }
    }

    /** The TLS layer verified the chain against the client CA; here we only need to know one was presented. */
    private static boolean hasVerifiedClientCertificate(ServerRequest req) {
        Certificate[] certificates = req.remotePeer().tlsCertificates().orElse(null);
        return certificates != null && certificates.length > 0;
    }
}

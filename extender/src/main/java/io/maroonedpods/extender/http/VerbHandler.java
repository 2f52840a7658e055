package io.maroonedpods.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
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

    /**
     * What every verb shares: the body budget, the connections' read deadlines, gzip, whether callers need a
     * certificate.
     */
    public record Settings(
            BodyBudget budget, StalledConnections connections, int gzipMinBytes, boolean requireClientCert) {}

    private final String name;
    private final Verb verb;
    private final ExtenderMetrics metrics;
    private final Settings settings;
    private final SinkPool sinks = new SinkPool();

    public VerbHandler(String name, Verb verb, ExtenderMetrics metrics, Settings settings) {
        this.name = name;
        this.verb = verb;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws Exception {
        long start = System.nanoTime();
        int status = 200;
        ByteSink out = null;
        byte[] body = null;
        boolean opened = false;
        try {
            if (settings.requireClientCert() && !hasVerifiedClientCertificate(req)) {
                throw new BadRequestException(
                        403,
                        "client certificate required: only the scheduler may call "
                                + req.path().path());
            }
            RequestBody.check(req);
            opened = true;
            body = RequestBody.read(req, settings.budget(), settings.connections());
            out = sinks.take();
            int gzipMinBytes = settings.gzipMinBytes();
            out.spillTo(
                    (expected, exact) -> JsonResponses.stream(req, res, expected, exact, gzipMinBytes), CHUNK_BYTES);
            verb.handle(body, out);
            if (out.spilled()) {
                out.finish();
            } else {
                JsonResponses.send(req, res, 200, out.buffer(), out.size(), settings.gzipMinBytes());
            }
        } catch (Throwable e) {
            if (out != null && out.spilled() || ErrorTable.connectionLost(e)) {
                // Part of the answer is out, or the client is gone: no answer can follow. Helidon drops the
                // connection, and the scheduler sees a failed call. 499 (nginx's "client closed request") in metrics.
                status = out != null && out.spilled() ? 500 : 499;
                if (ErrorTable.connectionLost(e)) {
                    throw ErrorTable.closing(e);
                }
                throw e;
            }
            ErrorTable.Failure failure = ErrorTable.of(e);
            status = failure.status();
            if (body == null && req.content().hasEntity() && (opened || status == 403)) {
                // Refused while its body was being read (too slow, too large as it arrived, framing, busy), or a
                // caller without a certificate: the rest of the body is not read on, so the connection is closed
                // after the answer (see Framing). A body refused before it was opened (its content type) is read and
                // discarded by Helidon instead, so that a client still sending it gets the answer, not a reset.
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            if (status == 503) {
                res.header(HeaderNames.RETRY_AFTER, "1");
            }
            JsonResponses.sendError(req, res, failure);
        } finally {
            if (out != null) {
                sinks.give(out);
            }
            if (body != null) {
                settings.budget().give(body.length);
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

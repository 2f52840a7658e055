package io.maroonedpods.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import io.maroonedpods.extender.wire.WireJson;
import java.util.List;

/**
 * A filter before every route (after the read deadlines of {@link StalledConnections}): refuses a request whose body
 * framing is in doubt ({@link FramingCheck}) with 400, and closes the connection after an answer that says
 * {@code Connection: close} — because the client asked for it, or because a handler refused a body it did not read to
 * the end. Helidon (4.2.0, and 4.5.0 as FramingTest shows) writes the header but keeps reading the socket, so a client
 * that asked to close, or the rest of a refused body, would be served as a next request.
 */
public final class Framing implements Filter {
    private final ExtenderMetrics metrics;

    public Framing(ExtenderMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        ServerRequestHeaders headers = req.headers();
        String problem = FramingCheck.problem(
                values(headers, HeaderNames.CONTENT_LENGTH), values(headers, HeaderNames.TRANSFER_ENCODING));
        if (problem != null) {
            metrics.request("other", 400, 0);
            res.status(Status.BAD_REQUEST_400)
                    .header(HeaderValues.CONNECTION_CLOSE)
                    .header(HeaderValues.CONTENT_TYPE_JSON)
                    .send(WireJson.errorBody(problem));
            throw new CloseConnectionException("request framing refused: " + problem);
        }
        if (FramingCheck.asksToClose(values(headers, HeaderNames.CONNECTION))) {
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        chain.proceed();
        if (res.headers().contains(HeaderValues.CONNECTION_CLOSE)) {
            throw new CloseConnectionException("connection closed after the answer, as its Connection header says");
        }
    }

    private static List<String> values(ServerRequestHeaders headers, io.helidon.http.HeaderName name) {
        return headers.contains(name) ? headers.get(name).allValues() : List.of();
    }
}

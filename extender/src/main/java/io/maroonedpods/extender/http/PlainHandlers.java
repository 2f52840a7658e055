package io.maroonedpods.extender.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import io.maroonedpods.extender.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/** Health, metrics, and the JSON answers for wrong methods and unknown paths. */
public final class PlainHandlers {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] NOT_SYNCED =
            "{\"status\":\"waiting for the node informers to sync\"}".getBytes(StandardCharsets.UTF_8);

    private PlainHandlers() {}

    public static Handler live() {
        return (req, res) ->
                res.header(HeaderNames.CONTENT_TYPE, "application/json").send(OK);
    }

    public static Handler ready(BooleanSupplier ready) {
        return (req, res) -> {
            boolean isReady = ready.getAsBoolean();
            res.status(isReady ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(isReady ? OK : NOT_SYNCED);
        };
    }

    public static Handler metrics(ExtenderMetrics metrics) {
        return (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .send(metrics.render().getBytes(StandardCharsets.UTF_8));
    }

    /** 405 with an Allow header, for a known path called with the wrong method. */
    public static Handler methodNotAllowed(String allowed, ExtenderMetrics metrics) {
        return (req, res) -> {
            metrics.request("other", 405, 0);
            res.status(Status.METHOD_NOT_ALLOWED_405)
                    .header(HeaderNames.ALLOW, allowed)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(WireJson.errorBody("method " + req.prologue().method().text() + " not allowed on "
                            + req.path().path() + ": use " + allowed));
        };
    }

    public static Handler notFound(String prefix, ExtenderMetrics metrics) {
        return (req, res) -> {
            metrics.request("other", 404, 0);
            res.status(Status.NOT_FOUND_404)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .send(WireJson.errorBody("no such endpoint " + req.path().path() + ": the scheduler verbs are "
                            + prefix + "/{filter,prioritize,preempt,bind}; also /livez, /readyz, /metrics"));
        };
    }
}

package io.maroonedpods.extender;

import io.helidon.webserver.http.HttpRouting;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.extender.http.PlainHandlers;
import io.maroonedpods.extender.http.VerbHandler;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import java.util.function.BooleanSupplier;

/** The routing of the extender, shared by {@link Main}, {@link ExtenderServer} and the tests. */
public final class Routes {
    private Routes() {
    }

    public static void routing(HttpRouting.Builder routing, ExtenderConfig config, SchedulerVerbs verbs,
                               ExtenderMetrics metrics, BooleanSupplier ready) {
        String prefix = config.prefix();
        boolean guarded = config.tls().verifiesClients();
        verb(routing, prefix, "filter", verbs::filter, config, metrics, guarded);
        verb(routing, prefix, "prioritize", verbs::prioritize, config, metrics, guarded);
        verb(routing, prefix, "preempt", verbs::preempt, config, metrics, guarded);
        verb(routing, prefix, "bind", verbs::bind, config, metrics, guarded);
        routing.get("/livez", PlainHandlers.live())
                .get("/readyz", PlainHandlers.ready(ready))
                .get("/metrics", PlainHandlers.metrics(metrics))
                .any("/livez", PlainHandlers.methodNotAllowed("GET", metrics))
                .any("/readyz", PlainHandlers.methodNotAllowed("GET", metrics))
                .any("/metrics", PlainHandlers.methodNotAllowed("GET", metrics))
                .any(PlainHandlers.notFound(prefix, metrics));
    }

    private static void verb(HttpRouting.Builder routing, String prefix, String name, VerbHandler.Verb verb,
                             ExtenderConfig config, ExtenderMetrics metrics, boolean guarded) {
        String path = prefix + "/" + name;
        routing.post(path, new VerbHandler(name, verb, metrics, config.bodyLimitBytes(), config.gzipMinBytes(),
                        guarded))
                .any(path, PlainHandlers.methodNotAllowed("POST", metrics));
    }
}

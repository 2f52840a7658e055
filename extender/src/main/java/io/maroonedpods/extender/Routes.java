package io.maroonedpods.extender;

import io.helidon.webserver.http.HttpRouting;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.extender.http.BodyBudget;
import io.maroonedpods.extender.http.Framing;
import io.maroonedpods.extender.http.PlainHandlers;
import io.maroonedpods.extender.http.StalledConnections;
import io.maroonedpods.extender.http.VerbHandler;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import java.util.function.BooleanSupplier;

/** The routing of the extender, shared by {@link Main}, {@link ExtenderServer} and the tests. */
public final class Routes {
    private Routes() {}

    public static void routing(
            HttpRouting.Builder routing,
            ExtenderConfig config,
            SchedulerVerbs verbs,
            ExtenderMetrics metrics,
            BodyBudget bodies,
            StalledConnections connections,
            BooleanSupplier ready) {
        String prefix = config.prefix();
        VerbHandler.Settings settings = new VerbHandler.Settings(
                bodies, connections, config.gzipMinBytes(), config.tls().verifiesClients());
        routing.addFilter(connections);
        routing.addFilter(new Framing(metrics));
        verb(routing, prefix, "filter", verbs::filter, metrics, settings);
        verb(routing, prefix, "prioritize", verbs::prioritize, metrics, settings);
        verb(routing, prefix, "preempt", verbs::preempt, metrics, settings);
        verb(routing, prefix, "bind", verbs::bind, metrics, settings);
        routing.get("/livez", PlainHandlers.live())
                .get("/readyz", PlainHandlers.ready(ready))
                .get("/metrics", PlainHandlers.metrics(metrics))
                .any("/livez", PlainHandlers.methodNotAllowed("GET", metrics))
                .any("/readyz", PlainHandlers.methodNotAllowed("GET", metrics))
                .any("/metrics", PlainHandlers.methodNotAllowed("GET", metrics))
                .any(PlainHandlers.notFound(prefix, metrics));
    }

    private static void verb(
            HttpRouting.Builder routing,
            String prefix,
            String name,
            VerbHandler.Verb verb,
            ExtenderMetrics metrics,
            VerbHandler.Settings settings) {
        String path = prefix + "/" + name;
        routing.post(path, new VerbHandler(name, verb, metrics, settings))
                .any(path, PlainHandlers.methodNotAllowed("POST", metrics));
    }
}

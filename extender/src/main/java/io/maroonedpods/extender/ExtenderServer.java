package io.maroonedpods.extender;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.maroonedpods.api.Names;
import io.maroonedpods.extender.bind.Binder;
import io.maroonedpods.extender.config.ConnectionLimits;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.extender.http.BodyBudget;
import io.maroonedpods.extender.http.ConnectionOptions;
import io.maroonedpods.extender.http.StalledConnections;
import io.maroonedpods.extender.http.TransportErrors;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import io.maroonedpods.extender.nodes.InformerView;
import io.maroonedpods.extender.tls.ServerTls;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * The extender, embeddable: informers, verbs and the HTTP server. {@link Main} runs one; the simulator and the
 * benchmarks start one in-process with their own client. The caller keeps ownership of the client.
 */
public final class ExtenderServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExtenderServer.class.getName());

    /** Made-up filter and prioritize rounds run once the cache has synced, before {@link #ready()} (see WarmUp). */
    static final int WARM_UP_ROUNDS = 200;

    private final InformerView view;
    private final StalledConnections connections;
    private final WebServer server;
    private final BooleanSupplier ready;

    private ExtenderServer(InformerView view, StalledConnections connections, WebServer server, BooleanSupplier ready) {
        this.view = view;
        this.connections = connections;
        this.server = server;
        this.ready = ready;
    }

    /** Starts serving at once; {@link #ready()} turns true when the node informers have synced. Port 0 = any. */
    public static ExtenderServer start(ExtenderConfig config, KubernetesClient client) {
        InformerView view =
                InformerView.start(client, config.vmNamespace(), Names.dedicatedTaintKey(config.taintKeyPrefix()));
        StalledConnections connections =
                StalledConnections.start(Duration.ofSeconds(config.limits().readTimeoutSeconds()));
        try {
            BodyBudget bodies = new BodyBudget(config.limits().bodiesInFlightBytes());
            ExtenderMetrics metrics = new ExtenderMetrics(view::cachedNodes, bodies::held);
            Binder binder = new Binder(client, config.schedulerName());
            SchedulerVerbs verbs = new SchedulerVerbs(config, view, view::synced, binder, metrics, Clock.systemUTC());
            AtomicBoolean warm = new AtomicBoolean();
            BooleanSupplier ready = () -> warm.get() && view.synced();
            ConnectionLimits limits = config.limits();
            WebServerConfig.Builder builder = WebServer.builder()
                    .host(config.bindAddress())
                    .port(config.port())
                    // No transparent request decoding: request bodies are never compressed, and a compressed one
                    // gets our own 415 naming the problem (we gzip responses ourselves, see JsonResponses).
                    .contentEncoding(encoding -> encoding.contentEncodingsDiscoverServices(false))
                    // The body limit: Helidon refuses a larger Content-Length before any route runs, and a chunked
                    // body as it passes the limit; either way 413 (see TransportErrors, ErrorTable) and closed.
                    .maxPayloadSize(config.bodyLimitBytes())
                    .maxTcpConnections(limits.maxConnections())
                    .connectionOptions(new ConnectionOptions(connections))
                    .directHandlers(TransportErrors.handlers(config.bodyLimitBytes()))
                    .routing(routing -> Routes.routing(routing, config, verbs, metrics, bodies, connections, ready));
            if (config.tls().enabled()) {
                builder.tls(ServerTls.of(config.tls()));
            }
            WebServer server = builder.build().start();
            if (!server.isRunning()) {
                // Helidon logs the cause (a port in use, say) and returns a stopped server rather than failing.
                throw new IllegalStateException(
                        "cannot listen on " + config.bindAddress() + ":" + config.port() + " (is the port in use?)");
            }
            LOG.info(() -> "extender listening on " + (config.tls().enabled() ? "https" : "http") + "://"
                    + config.bindAddress() + ":" + server.port() + config.prefix()
                    + (config.tls().verifiesClients() ? " (client certificates required)" : ""));
            SchedulerVerbs warmUp = new SchedulerVerbs(
                    config,
                    view,
                    view::synced,
                    binder,
                    new ExtenderMetrics(view::cachedNodes, () -> 0),
                    Clock.systemUTC());
            URI livez = URI.create(
                    (config.tls().enabled() ? "https" : "http") + "://127.0.0.1:" + server.port() + "/livez");
            Thread.ofVirtual().name("extender-warm-up").start(() -> warmUpOnceSynced(view, warmUp, livez, warm));
            return new ExtenderServer(view, connections, server, ready);
        } catch (RuntimeException e) {
            connections.close();
            view.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /**
     * True once the caches are synced (before that, NodeNames answers could let a pod onto a dedicated node) and the
     * code paths of the verbs are warm.
     */
    public boolean ready() {
        return ready.getAsBoolean();
    }

    private static void warmUpOnceSynced(InformerView view, SchedulerVerbs verbs, URI livez, AtomicBoolean warm) {
        try {
            while (!view.synced()) {
                Thread.sleep(20);
            }
            WarmUp.run(verbs, WARM_UP_ROUNDS, livez);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            warm.set(true);
        }
    }

    @Override
    public void close() {
        server.stop();
        connections.close();
        view.close();
    }
}

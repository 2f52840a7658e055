package io.maroonedpods.extender;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.InvalidConfigException;
import io.maroonedpods.extender.bind.Binder;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.extender.http.TransportErrors;
import io.maroonedpods.extender.metrics.ExtenderMetrics;
import io.maroonedpods.extender.nodes.InformerView;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.logging.Logger;

/**
 * The extender, embeddable: informers, verbs and the HTTP server. {@link Main} runs one; the simulator and the
 * benchmarks start one in-process with their own client. The caller keeps ownership of the client.
 */
public final class ExtenderServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExtenderServer.class.getName());

    private final InformerView view;
    private final WebServer server;

    private ExtenderServer(InformerView view, WebServer server) {
        this.view = view;
        this.server = server;
    }

    /** Starts serving at once; {@link #ready()} turns true when the node informers have synced. Port 0 = any. */
    public static ExtenderServer start(ExtenderConfig config, KubernetesClient client) {
        InformerView view = InformerView.start(client, config.vmNamespace(),
                Names.dedicatedTaintKey(config.taintKeyPrefix()));
        try {
            ExtenderMetrics metrics = new ExtenderMetrics(view::cachedNodes);
            Binder binder = new Binder(client, config.schedulerName());
            SchedulerVerbs verbs = new SchedulerVerbs(config, view, view::synced, binder, metrics, Clock.systemUTC());
            WebServerConfig.Builder builder = WebServer.builder()
                    .host(config.bindAddress())
                    .port(config.port())
                    // No transparent request decoding: request bodies are never compressed, and a compressed one
                    // gets our own 415 naming the problem (we gzip responses ourselves, see JsonResponses).
                    .contentEncoding(encoding -> encoding.contentEncodingsDiscoverServices(false))
                    // Answers go out as soon as they are written: with Nagle's algorithm the last segment of a large
                    // answer (a 5,000-node filter answer is 400 KB ungzipped) waited for the client's delayed ACK,
                    // 40 ms on Linux, for one request in ten.
                    .connectionOptions(socket -> socket.tcpNoDelay(true))
                    .directHandlers(TransportErrors.handlers())
                    .routing(routing -> Routes.routing(routing, config, verbs, metrics, view::synced));
            if (config.tls().enabled()) {
                builder.tls(tls(config.tls()));
            }
            WebServer server = builder.build().start();
            LOG.info(() -> "extender listening on " + (config.tls().enabled() ? "https" : "http") + "://"
                    + config.bindAddress() + ":" + server.port() + config.prefix()
                    + (config.tls().verifiesClients() ? " (client certificates required)" : ""));
            return new ExtenderServer(view, server);
        } catch (RuntimeException e) {
            view.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    /** True once the caches are synced: before that, NodeNames answers could let a pod onto a dedicated node. */
    public boolean ready() {
        return view.synced();
    }

    @Override
    public void close() {
        server.stop();
        view.close();
    }

    private static Tls tls(ExtenderConfig.Tls settings) {
        try {
            Keys keys = Keys.builder().pem(pem -> pem
                    .key(Resource.create(Path.of(settings.keyFile())))
                    .certChain(Resource.create(Path.of(settings.certFile())))).build();
            var tls = Tls.builder().privateKey(keys).privateKeyCertChain(keys);
            if (settings.verifiesClients()) {
                // OPTIONAL, not REQUIRED: health probes connect without a certificate; the verbs check for one.
                tls.trust(trust -> trust.pem(pem -> pem.certificates(
                                Resource.create(Path.of(settings.clientCaFile())))))
                        .clientAuth(TlsClientAuth.OPTIONAL)
                        // The JDK would otherwise match the client's IP against its certificate's names: a server
                        // checks who signed a client certificate, not where the client connects from.
                        .endpointIdentificationAlgorithm(Tls.ENDPOINT_IDENTIFICATION_NONE);
            }
            return tls.build();
        } catch (RuntimeException e) {
            throw new InvalidConfigException(List.of("extender.tls: cannot load the certificate, key or client CA ("
                    + e.getMessage() + ")"));
        }
    }
}

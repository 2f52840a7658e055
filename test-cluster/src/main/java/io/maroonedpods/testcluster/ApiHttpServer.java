package io.maroonedpods.testcluster;

import io.maroonedpods.testcluster.store.StoreWatch;
import io.maroonedpods.testcluster.store.WatchSink;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of the simulated API server, on Vert.x: plain HTTP/1.1 on 127.0.0.1, served by several event loops
 * (one server per loop on the same port; Vert.x spreads the connections), each request answered on its loop by
 * {@link ApiHandler}. Watches go over a WebSocket (what the fabric8 client opens) or a chunked HTTP response (what
 * kubectl and fabric8's fallback use), one JSON event per message or line.
 */
final class ApiHttpServer implements AutoCloseable {
    private static final List<String> SUB_PROTOCOLS =
            List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io", "v4.channel.k8s.io");

    private final Vertx vertx;
    private final int port;

    private ApiHttpServer(Vertx vertx, int port) {
        this.vertx = vertx;
        this.port = port;
    }

    static ApiHttpServer start(ApiHandler handler, int eventLoops) {
        Vertx vertx =
                Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setWorkerPoolSize(1));
        try {
            // Port -1: Vert.x binds the first server to a free port and shares it with the others of the same value.
            Set<Integer> ports = ConcurrentHashMap.newKeySet();
            await(vertx.deployVerticle(
                    () -> new Listener(handler, ports), new DeploymentOptions().setInstances(eventLoops)));
            if (ports.size() != 1) {
                throw new IllegalStateException("the event loops' servers did not share one port: " + ports);
            }
            int port = ports.iterator().next();
            return new ApiHttpServer(vertx, port);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        await(vertx.close());
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        CompletableFuture<T> done = new CompletableFuture<>();
        future.onComplete(r -> {
            if (r.succeeded()) {
                done.complete(r.result());
            } else {
                done.completeExceptionally(r.cause());
            }
        });
        try {
            return done.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the simulated API server could not start: " + e.getMessage(), e);
        }
    }

    /** One event loop's server. */
    private static final class Listener extends AbstractVerticle {
        private final ApiHandler handler;
        private final Set<Integer> ports;

        Listener(ApiHandler handler, Set<Integer> ports) {
            this.handler = handler;
            this.ports = ports;
        }

        @Override
        public void start(Promise<Void> started) {
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(InetAddress.getLoopbackAddress().getHostAddress())
                    .setPort(-1)
                    .setWebSocketSubProtocols(SUB_PROTOCOLS)
                    .setHandle100ContinueAutomatically(true)
                    // HTTP/1.1 only, as the clients are configured (the JDK client would otherwise upgrade to h2c).
                    .setHttp2ClearTextEnabled(false);
            vertx.createHttpServer(options)
                    .requestHandler(this::serve)
                    .listen()
                    .onSuccess(server -> {
                        ports.add(server.actualPort());
                        started.complete();
                    })
                    .onFailure(started::fail);
        }

        private void serve(HttpServerRequest request) {
            if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
                ApiAnswer answer = handler.handle(apiRequest(request, null));
                if (answer instanceof ApiAnswer.Watch watch) {
                    request.toWebSocket().onSuccess(socket -> openWebSocket(watch, socket));
                } else {
                    reply(request.response(), (ApiAnswer.Reply) answer);
                }
                return;
            }
            request.body().onSuccess(body -> {
                ApiAnswer answer = handler.handle(apiRequest(request, body));
                if (answer instanceof ApiAnswer.Watch watch) {
                    openChunked(watch, request);
                } else {
                    reply(request.response(), (ApiAnswer.Reply) answer);
                }
            });
        }

        private void openWebSocket(ApiAnswer.Watch request, ServerWebSocket socket) {
            StoreWatch watch = handler.open(request, new WatchSink() {
                @Override
                public boolean send(String event) {
                    if (socket.isClosed()) {
                        return false;
                    }
                    socket.writeTextMessage(event);
                    return true;
                }

                @Override
                public void close() {
                    socket.close((short) 1000, "watch ended");
                }
            });
            socket.closeHandler(v -> watch.closed());
            socket.exceptionHandler(e -> watch.closed());
            endAfter(request, watch, () -> socket.close((short) 1000, "watch timeout"));
        }

        private void openChunked(ApiAnswer.Watch request, HttpServerRequest http) {
            HttpServerResponse response =
                    http.response().setChunked(true).setStatusCode(200).putHeader("Content-Type", "application/json");
            response.write("");
            StoreWatch watch = handler.open(request, new WatchSink() {
                @Override
                public boolean send(String event) {
                    if (response.ended() || response.closed()) {
                        return false;
                    }
                    response.write(event + "\n");
                    return true;
                }

                @Override
                public void close() {
                    if (!response.ended()) {
                        response.end();
                    }
                }
            });
            response.closeHandler(v -> watch.closed());
            http.connection().closeHandler(v -> watch.closed());
            endAfter(request, watch, () -> {
                if (!response.ended()) {
                    response.end();
                }
            });
        }

        /** kube-apiserver ends a watch after its {@code timeoutSeconds}; clients then resume from their last resourceVersion. */
        private void endAfter(ApiAnswer.Watch request, StoreWatch watch, Runnable end) {
            if (request.timeoutSeconds() > 0) {
                vertx.setTimer(TimeUnit.SECONDS.toMillis(request.timeoutSeconds()), id -> {
                    watch.closed();
                    end.run();
                });
            }
        }

        private static ApiRequest apiRequest(HttpServerRequest request, Buffer body) {
            Map<String, String> headers = new HashMap<>();
            request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
            return new ApiRequest(
                    request.method().name(), request.uri(), headers, body == null ? new byte[0] : body.getBytes());
        }

        private static void reply(HttpServerResponse response, ApiAnswer.Reply reply) {
            response.setStatusCode(reply.code()).putHeader("Content-Type", "application/json");
            reply.headers().forEach(response::putHeader);
            response.end(Buffer.buffer(reply.body()));
        }
    }
}

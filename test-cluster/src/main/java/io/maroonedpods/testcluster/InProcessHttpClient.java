package io.maroonedpods.testcluster;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpClient;
import io.fabric8.kubernetes.client.http.StandardHttpClientBuilder;
import io.fabric8.kubernetes.client.http.StandardHttpHeaders;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.http.StandardWebSocketBuilder;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import io.fabric8.kubernetes.client.http.WebSocketResponse;
import io.fabric8.kubernetes.client.http.WebSocketUpgradeResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * fabric8's HTTP client for the fake's own parts (the simulated kube-scheduler, KubeVirt, kubelets), handing each
 * request to the {@link ApiHandler} in this JVM instead of over a socket: the same routing, store, refusals and watch
 * events as over HTTP, without the HTTP machinery on both sides. In a 1,000-pod burst that machinery (the Vert.x client,
 * the server's parsing, the socket I/O) was about a seventh of the run's CPU; the components keep their real HTTP client.
 *
 * <p>A request runs on the calling thread and its future is complete on return. A watch's events are handed to the
 * listener by the thread that drains the watch (the writer's), one at a time and in resourceVersion order, and before
 * the same change goes to the watches over HTTP ({@link io.maroonedpods.testcluster.store.WatchSink#inline}): the
 * simulated scheduler never learns of a node's change after a component that reacts to it. A watch opened with
 * {@code timeoutSeconds} ends after it, as the HTTP server ends it.
 */
final class InProcessHttpClient
        extends StandardHttpClient<InProcessHttpClient, InProcessHttpClient.Factory, InProcessHttpClient.Builder> {
    private final InProcessWatches watches;

    private InProcessHttpClient(Builder builder, AtomicBoolean closed, InProcessWatches watches) {
        super(builder, closed);
        this.watches = watches;
    }

    /** The factory for one API server's clients (fabric8 makes a builder per client and per derived client). */
    static final class Factory implements HttpClient.Factory {
        private final ApiHandler handler;

        Factory(ApiHandler handler) {
            this.handler = handler;
        }

        @Override
        public Builder newBuilder() {
            return new Builder(this);
        }
    }

    static final class Builder extends StandardHttpClientBuilder<InProcessHttpClient, Factory, Builder> {
        Builder(Factory factory) {
            super(factory);
        }

        @Override
        public InProcessHttpClient build() {
            if (client != null) { // a derived client: the same watches and the same "closed", other interceptors
                return new InProcessHttpClient(this, client.getClosed(), client.watches);
            }
            return new InProcessHttpClient(this, new AtomicBoolean(), new InProcessWatches(clientFactory.handler));
        }

        @Override
        protected Builder newInstance(Factory factory) {
            return new Builder(factory);
        }
    }

    @Override
    public CompletableFuture<HttpResponse<AsyncBody>> consumeBytesDirect(
            StandardHttpRequest request, AsyncBody.Consumer<List<ByteBuffer>> consumer) {
        ApiAnswer answer = watches.handler().handle(apiRequest(request));
        Response response;
        if (answer instanceof ApiAnswer.Reply reply) {
            response = new Response(request, reply.code(), headers(reply.headers()), consumer);
            response.deliver(reply.body());
            response.end();
        } else {
            // A watch asked for as a stream (one JSON event per line), as fabric8's HTTP watch does.
            response = new Response(request, 200, headers(Map.of()), consumer);
            response.onCancel = watches.open((ApiAnswer.Watch) answer, response::stream, response::end);
        }
        return CompletableFuture.completedFuture(response);
    }

    @Override
    public CompletableFuture<WebSocketResponse> buildWebSocketDirect(
            StandardWebSocketBuilder builder, WebSocket.Listener listener) {
        StandardHttpRequest request = builder.asHttpRequest();
        ApiAnswer answer = watches.handler().handle(apiRequest(request));
        if (answer instanceof ApiAnswer.Reply reply) { // refused before the upgrade, as kube-apiserver answers
            WebSocketUpgradeResponse refused =
                    new WebSocketUpgradeResponse(request, reply.code(), headers(reply.headers()));
            return CompletableFuture.completedFuture(
                    new WebSocketResponse(refused, new WebSocketHandshakeException(refused)));
        }
        WebSocket socket = watches.openSocket((ApiAnswer.Watch) answer, listener);
        return CompletableFuture.completedFuture(new WebSocketResponse(new WebSocketUpgradeResponse(request), socket));
    }

    @Override
    protected void doClose() {
        watches.closeAll();
    }

    private static ApiRequest apiRequest(StandardHttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
            }
        });
        if (request.getContentType() != null) {
            headers.put("content-type", request.getContentType());
        }
        URI uri = request.uri();
        String path = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        return new ApiRequest(request.method(), path, headers, body(request.body()));
    }

    private static byte[] body(StandardHttpRequest.BodyContent body) {
        return switch (body) {
            case null -> new byte[0];
            case StandardHttpRequest.StringBodyContent text -> text.getContent().getBytes(StandardCharsets.UTF_8);
            case StandardHttpRequest.ByteArrayBodyContent bytes -> bytes.getContent();
            case StandardHttpRequest.InputStreamBodyContent stream -> {
                try (var in = stream.getContent()) {
                    yield in.readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            default -> throw new IllegalArgumentException("unsupported request body: " + body.getClass());
        };
    }

    private static Map<String, List<String>> headers(Map<String, String> extra) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put(StandardHttpHeaders.CONTENT_TYPE, List.of("application/json"));
        extra.forEach((name, value) -> headers.put(name, List.of(value)));
        return headers;
    }

    /**
     * A response whose body is handed to fabric8's consumer: at once for a reply, event by event for a streamed watch.
     * The consumer may ask for the body ({@link #consume}) before or after it is there; what is there goes at once.
     */
    private static final class Response extends StandardHttpHeaders implements HttpResponse<AsyncBody>, AsyncBody {
        private final HttpRequest request;
        private final int code;
        private final AsyncBody.Consumer<List<ByteBuffer>> consumer;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final java.util.Queue<byte[]> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final AtomicBoolean consuming = new AtomicBoolean();
        private volatile boolean ended;
        /** Ends the watch a streamed response carries. */
        private volatile Runnable onCancel = () -> {};
        /** Set while this response hands out its body: the consumer asks for more from inside, which must not nest. */
        private boolean flushing;

        Response(
                HttpRequest request,
                int code,
                Map<String, List<String>> headers,
                AsyncBody.Consumer<List<ByteBuffer>> consumer) {
            super(headers);
            this.request = request;
            this.code = code;
            this.consumer = consumer;
        }

        void deliver(byte[] bytes) {
            pending.add(bytes);
            flush();
        }

        boolean stream(String event) {
            if (done.isDone()) {
                return false;
            }
            deliver((event + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        }

        void end() {
            ended = true;
            flush();
        }

        @Override
        public void consume() {
            consuming.set(true);
            flush();
        }

        private synchronized void flush() {
            if (flushing || !consuming.get() || done.isDone()) {
                return;
            }
            flushing = true;
            try {
                byte[] next;
                while ((next = pending.poll()) != null) {
                    consumer.consume(List.of(ByteBuffer.wrap(next)), this);
                }
                if (ended) {
                    done.complete(null);
                }
            } catch (Exception e) {
                done.completeExceptionally(e);
            } finally {
                flushing = false;
            }
        }

        @Override
        public CompletableFuture<Void> done() {
            return done;
        }

        @Override
        public void cancel() {
            done.cancel(false);
            onCancel.run();
        }

        @Override
        public int code() {
            return code;
        }

        @Override
        public AsyncBody body() {
            return this;
        }

        @Override
        public HttpRequest request() {
            return request;
        }

        @Override
        public Optional<HttpResponse<?>> previousResponse() {
            return Optional.empty();
        }
    }
}

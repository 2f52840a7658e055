package io.maroonedpods.testcluster;

import io.fabric8.kubernetes.client.http.WebSocket;
import io.maroonedpods.testcluster.store.StoreWatch;
import io.maroonedpods.testcluster.store.WatchSink;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * The watches an {@link InProcessHttpClient} (and the clients derived from it) opened on its {@link ApiHandler}: each
 * ends as over HTTP, when the client closes it, when the server drops it, after its {@code timeoutSeconds}, or when
 * the client is closed.
 */
final class InProcessWatches {
    /** Ends watches after their timeoutSeconds; one daemon thread for every in-process client of the JVM. */
    private static final ScheduledExecutorService TIMEOUTS = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "in-process-watch-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    private final ApiHandler handler;
    private final Set<Runnable> open = ConcurrentHashMap.newKeySet();

    InProcessWatches(ApiHandler handler) {
        this.handler = handler;
    }

    ApiHandler handler() {
        return handler;
    }

    /**
     * Opens a watch whose events go to {@code send} (false: the reader is gone, the watch ends) and whose end (by the
     * server, its timeout or the client's close) runs {@code end} once; returns what ends it from the client's side.
     */
    Runnable open(ApiAnswer.Watch request, Predicate<String> send, Runnable end) {
        AtomicBoolean ended = new AtomicBoolean();
        StoreWatch[] watch = new StoreWatch[1];
        Runnable finish = new Runnable() {
            @Override
            public void run() {
                if (ended.compareAndSet(false, true)) {
                    open.remove(this);
                    if (watch[0] != null) {
                        watch[0].closed();
                    }
                    end.run();
                }
            }
        };
        open.add(finish);
        watch[0] = handler.open(request, new WatchSink() {
            @Override
            public boolean send(String event) {
                return !ended.get() && send.test(event);
            }

            @Override
            public boolean inline() {
                return true;
            }

            @Override
            public void close() {
                finish.run();
            }
        });
        if (ended.get()) {
            watch[0].closed();
        }
        if (request.timeoutSeconds() > 0) {
            TIMEOUTS.schedule(finish, request.timeoutSeconds(), TimeUnit.SECONDS);
        }
        return finish;
    }

    /** A watch as fabric8 opens one, over a WebSocket: each event one text message, the server's end a close. */
    WebSocket openSocket(ApiAnswer.Watch request, WebSocket.Listener listener) {
        Socket socket = new Socket();
        listener.onOpen(socket);
        socket.end = open(
                request,
                event -> {
                    listener.onMessage(socket, event);
                    return true;
                },
                () -> listener.onClose(socket, 1000, "watch ended"));
        return socket;
    }

    /** Ends every watch still open (the client is closed). */
    void closeAll() {
        List.copyOf(open).forEach(Runnable::run);
    }

    /**
     * The client's side of a watch socket. Messages are pushed as the watch is drained, one thread at a time, so
     * fabric8's demand ({@link #request}) needs no bookkeeping; a client's close ends the watch in the store and
     * answers with the close, as a server does.
     */
    private static final class Socket implements WebSocket {
        private volatile Runnable end;

        @Override
        public boolean send(ByteBuffer buffer) {
            return false; // nothing reads what a client writes on a watch socket
        }

        @Override
        public boolean sendClose(int code, String reason) {
            Runnable current = end;
            if (current != null) {
                current.run();
            }
            return true;
        }

        @Override
        public long queueSize() {
            return 0;
        }

        @Override
        public void request() {}
    }
}

package io.maroonedpods.extender.http;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The read timeout of every connection. Helidon 4.5 reads from blocking {@link SocketChannel}s, which have no read
 * timeout (SO_TIMEOUT applies to sockets only). So each accepted connection gets a deadline here: from its accept, or
 * the end of its last answer, to the end of the next request's headers (TLS handshake, idle keep-alive, request line,
 * headers), and from there to the end of the answer (the body, and the work on it). {@link #sweep} runs a few times a
 * second. A connection past its deadline between requests is closed, as a read timeout would. One past it while its
 * request is answered has its input shut: the read waiting on the body ends as at the client's end of data, and is
 * answered 408 ({@link #cutShort}); it is closed a timeout later if it is still open then (an answer the client does
 * not read). Added first to the routing, this restarts a connection's deadline as each request comes and goes.
 */
public final class StalledConnections implements Filter, AutoCloseable {
    /** How often the deadlines are checked: a stalled connection goes at most this long after its timeout. */
    static final Duration SWEEP_EVERY = Duration.ofMillis(250);

    private static final Logger LOG = Logger.getLogger(StalledConnections.class.getName());

    private final long timeoutNanos;
    private final LongSupplier nanoClock;
    private final Map<SocketAddress, Watched> open = new ConcurrentHashMap<>();
    private final Thread sweeper;

    /** A connection, and the time it must next show progress by. */
    static final class Watched {
        final SocketChannel channel;
        volatile long deadline;
        volatile boolean answering;
        volatile boolean cut;

        Watched(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
        }
    }

    StalledConnections(Duration timeout, LongSupplier nanoClock, boolean sweepInBackground) {
        this.timeoutNanos = timeout.toNanos();
        this.nanoClock = nanoClock;
        this.sweeper = sweepInBackground
                ? Thread.ofPlatform().daemon().name("extender-read-timeouts").start(this::sweepForever)
                : null;
    }

    /** Watches connections with the given read timeout, swept in a daemon thread until {@link #close}. */
    public static StalledConnections start(Duration timeout) {
        return new StalledConnections(timeout, System::nanoTime, true);
    }

    /** A connection just accepted: its first request's headers are due within the timeout. */
    void accepted(SocketChannel channel) {
        try {
            open.put(channel.getRemoteAddress(), new Watched(channel, nanoClock.getAsLong() + timeoutNanos));
        } catch (IOException e) {
            // Already closed by its client: nothing to watch.
        }
    }

    /** The request's headers are in: its answer is due within the timeout; once it is out, the next request's head. */
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        Watched connection = requestArrived(req.remotePeer().address());
        try {
            chain.proceed();
        } finally {
            answered(connection);
        }
    }

    /** The connection a request's headers came in on, now answering; null for one not accepted here. */
    Watched requestArrived(SocketAddress peer) {
        Watched connection = open.get(peer);
        if (connection != null) {
            connection.deadline = nanoClock.getAsLong() + timeoutNanos;
            connection.answering = true;
        }
        return connection;
    }

    void answered(Watched connection) {
        if (connection != null) {
            connection.answering = false;
            connection.deadline = nanoClock.getAsLong() + timeoutNanos;
        }
    }

    long timeoutSeconds() {
        return TimeUnit.NANOSECONDS.toSeconds(timeoutNanos);
    }

    /** True when a read on this peer's connection ended because the connection passed its deadline. */
    boolean cutShort(SocketAddress peer) {
        Watched connection = open.get(peer);
        return connection != null && connection.cut;
    }

    /**
     * One pass: forgets closed connections; closes those past their deadline, or, while a request is being answered,
     * shuts their input so that the handler can still answer 408, and closes them a timeout later.
     */
    void sweep() {
        long now = nanoClock.getAsLong();
        for (Watched connection : open.values()) {
            if (!connection.channel.isOpen()) {
                open.values().remove(connection);
            } else if (now - connection.deadline > 0) {
                stop(connection, now);
            }
        }
    }

    private void stop(Watched connection, long now) {
        try {
            if (!connection.cut && connection.answering) {
                connection.cut = true;
                connection.deadline = now + timeoutNanos;
                connection.channel.shutdownInput();
            } else {
                connection.channel.close();
            }
        } catch (IOException e) {
            // Closed meanwhile: the next pass forgets it.
        }
    }

    private void sweepForever() {
        try {
            while (true) {
                Thread.sleep(SWEEP_EVERY);
                try {
                    sweep();
                } catch (RuntimeException e) {
                    // One odd channel must not end the read timeouts of every connection after it.
                    LOG.log(Level.WARNING, "checking the connections' read deadlines failed", e);
                }
            }
        } catch (InterruptedException e) {
            // Closed.
        }
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.interrupt();
        }
    }
}

package io.maroonedpods.extender.http;

import io.helidon.common.socket.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The options of every connection the server accepts, with a read timeout. Helidon 4.2.0's
 * {@code SocketOptions.readTimeout} is applied by its clients only: its server calls {@code configureSocket} on an
 * accepted socket, which sets the socket options map and no SO_TIMEOUT, so a client that connects and sends nothing,
 * or half a request, would be held for as long as it liked. Here {@code configureSocket} also sets SO_TIMEOUT: a read that
 * waits longer for the client's next byte fails, and Helidon closes the connection (in the TLS handshake, the request
 * line, the headers or an idle keep-alive connection; a body read is answered 408 first, see ErrorTable).
 */
public final class ConnectionOptions implements SocketOptions {
    private final SocketOptions delegate;
    private final int readTimeoutMillis;

    public ConnectionOptions(Duration readTimeout) {
        // Answers go out as soon as they are written: with Nagle's algorithm the last segment of a large answer (a
        // 5,000-node filter answer is 400 KB ungzipped) waited for the client's delayed ACK, 40 ms on Linux, for one
        // request in ten.
        this.delegate = SocketOptions.builder()
                .tcpNoDelay(true)
                .readTimeout(readTimeout)
                .build();
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    @Override
    public void configureSocket(Socket socket) {
        delegate.configureSocket(socket);
        try {
            socket.setSoTimeout(readTimeoutMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<SocketOption<?>, Object> socketOptions() {
        return delegate.socketOptions();
    }

    @Override
    public Duration connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Duration readTimeout() {
        return delegate.readTimeout();
    }

    @Override
    public Optional<Integer> socketReceiveBufferSize() {
        return delegate.socketReceiveBufferSize();
    }

    @Override
    public Optional<Integer> socketSendBufferSize() {
        return delegate.socketSendBufferSize();
    }

    @Override
    public boolean socketReuseAddress() {
        return delegate.socketReuseAddress();
    }

    @Override
    public boolean socketKeepAlive() {
        return delegate.socketKeepAlive();
    }

    @Override
    public boolean tcpNoDelay() {
        return delegate.tcpNoDelay();
    }
}

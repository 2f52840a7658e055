package io.maroonedpods.extender.http;

import io.helidon.common.socket.SocketOptions;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The options of every connection the server accepts. Each accepted channel is handed to {@link StalledConnections},
 * which holds its read timeout: Helidon 4.5's server reads from blocking channels, on which SO_TIMEOUT does nothing.
 */
public final class ConnectionOptions implements SocketOptions {
    private final SocketOptions delegate;
    private final StalledConnections connections;

    public ConnectionOptions(StalledConnections connections) {
        // Answers go out as soon as they are written: with Nagle's algorithm the last segment of a large answer (a
        // 5,000-node filter answer is 400 KB ungzipped) waited for the client's delayed ACK, 40 ms on Linux, for one
        // request in ten.
        this.delegate = SocketOptions.builder().tcpNoDelay(true).build();
        this.connections = connections;
    }

    @Override
    public void configureSocket(SocketChannel channel) {
        delegate.configureSocket(channel);
        connections.accepted(channel);
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

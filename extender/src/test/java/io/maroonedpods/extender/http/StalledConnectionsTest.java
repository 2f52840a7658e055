package io.maroonedpods.extender.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep's decisions on real loopback connections, on a clock the test moves: when a connection is closed, when
 * only its input is shut, and when it is forgotten. ReadTimeoutTest shows the same on the running server.
 */
class StalledConnectionsTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final StalledConnections connections = new StalledConnections(TIMEOUT, now::get, false);
    ServerSocketChannel listener;
    SocketChannel client;
    SocketChannel accepted;

    @BeforeEach
    void connect() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = SocketChannel.open(listener.getLocalAddress());
        accepted = listener.accept();
        connections.accepted(accepted);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        accepted.close();
        listener.close();
    }

    void advance(Duration by) {
        now.addAndGet(by.toNanos());
        connections.sweep();
    }

    @Test
    void aConnectionIsClosedOnceItsRequestIsOverdue() {
        advance(TIMEOUT);
        assertThat(accepted.isOpen()).isTrue();

        advance(Duration.ofMillis(1));
        assertThat(accepted.isOpen()).isFalse();
    }

    @Test
    void eachRequestAndAnswerRestartsTheClock() throws IOException {
        advance(TIMEOUT.minusSeconds(1));
        StalledConnections.Watched connection = connections.requestArrived(accepted.getRemoteAddress());
        advance(TIMEOUT.minusSeconds(1));
        connections.answered(connection);
        advance(TIMEOUT);

        assertThat(accepted.isOpen()).isTrue();
    }

    @Test
    void anOverdueBodyEndsItsReadButLeavesTheAnswerWritableThenCloses() throws IOException {
        connections.requestArrived(accepted.getRemoteAddress());
        advance(TIMEOUT.plusMillis(1));

        assertThat(accepted.isOpen()).isTrue();
        assertThat(connections.cutShort(accepted.getRemoteAddress())).isTrue();
        assertThat(accepted.read(ByteBuffer.allocate(16))).isEqualTo(-1);
        accepted.write(ByteBuffer.wrap("HTTP/1.1 408".getBytes()));
        ByteBuffer answer = ByteBuffer.allocate(16);
        client.read(answer);
        assertThat(new String(answer.array(), 0, answer.position())).isEqualTo("HTTP/1.1 408");

        advance(TIMEOUT);
        assertThat(accepted.isOpen()).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(accepted.isOpen()).isFalse();
    }

    @Test
    void aConnectionClosedByItsServerIsForgotten() throws IOException {
        InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteAddress();
        connections.requestArrived(peer);
        accepted.close();
        connections.sweep();

        assertThat(connections.requestArrived(peer)).isNull();
        assertThat(connections.cutShort(peer)).isFalse();
    }
}

package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.extender.config.ConnectionLimits;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that stops sending, or sends too slowly, loses its connection after the read timeout (issue 17: a
 * half-sent request was held for 190 s and more). The extender here runs with a 1 s timeout; every wait is bounded
 * generously, since the point is that the connection goes, not how fast.
 */
class ReadTimeoutTest {
    static final Duration GENEROUS = Duration.ofSeconds(8);
    static TestExtender extender;
    static String body;

    @BeforeAll
    static void start() {
        extender = TestExtender.withWebPod(config -> ConfigEdits.limits(
                config,
                new ConnectionLimits(
                        ConnectionLimits.defaultBodiesInFlightBytes(), 1, ConnectionLimits.DEFAULT_MAX_CONNECTIONS)));
        body = extender.webFilterRequest();
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    static String head(int contentLength) {
        return "POST /scheduler/filter HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n";
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheReadTimeout() {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            assertThat(http.closedWithin(GENEROUS)).isTrue();
        }
    }

    @Test
    void aHalfSentRequestLineIsClosedAfterTheReadTimeout() {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            http.send("POST /scheduler/fil");
            assertThat(http.closedWithin(GENEROUS)).isTrue();
        }
    }

    @Test
    void halfSentHeadersAreClosedAfterTheReadTimeout() {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            http.send("POST /scheduler/filter HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
            assertThat(http.closedWithin(GENEROUS)).isTrue();
        }
    }

    @Test
    void aHalfSentBodyIsAnswered408AndClosedAfterTheReadTimeout() {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            RawHttp.Response response = http.send(head(body.length()) + body.substring(0, body.length() / 2))
                    .response();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).contains("extender.readTimeoutSeconds");
            assertThat(http.closedWithin(GENEROUS)).isTrue();
        }
        HostileInputTest.assertNormalRequestWorks(extender);
    }

    @Test
    void aBodyTrickledSlowerThanTheReadTimeoutIsAnswered408AndClosed() throws InterruptedException {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            http.send(head(body.length()));
            // One byte every 200 ms: no single read waits a second, the whole body would take minutes. Stop at the
            // answer: sending on would meet a closed connection.
            for (int i = 0; i < 40 && !http.answered(); i++) {
                http.send(body.substring(i, i + 1));
                Thread.sleep(200);
            }
            RawHttp.Response response = http.response();

            assertThat(response.status()).isEqualTo(408);
            assertThat(response.body()).contains("not complete within 1 s");
            assertThat(http.closedWithin(GENEROUS)).isTrue();
        }
    }

    @Test
    void aRequestHeadTrickledSlowerThanTheReadTimeoutIsClosed() throws InterruptedException {
        // One byte every 200 ms: each read waits less than the timeout, the head as a whole longer.
        String request = head(body.length());
        try (RawHttp http = new RawHttp(extender.server.port())) {
            long start = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < request.length() - 1 && !closed; i++) {
                try {
                    http.send(request.substring(i, i + 1));
                } catch (UncheckedIOException e) {
                    closed = true;
                }
                closed |= http.closedWithin(Duration.ofMillis(200));
            }
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GENEROUS);
        }
    }

    @Test
    void aConnectionInUseOutlivesTheReadTimeout() throws InterruptedException {
        // The timeout runs from the last answer, not from the connect: 3 s of requests, 0.5 s apart, on one connection.
        try (RawHttp http = new RawHttp(extender.server.port())) {
            for (int i = 0; i < 6; i++) {
                assertThat(http.send(head(body.length()) + body).response().status())
                        .isEqualTo(200);
                Thread.sleep(500);
            }
            assertThat(http.send(head(body.length()) + body).response().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosedAfterTheReadTimeout() {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            assertThat(http.send(head(body.length()) + body).response().status())
                    .isEqualTo(200);
            assertThat(http.closedWithin(GENEROUS)).isTrue();
        }
    }
}

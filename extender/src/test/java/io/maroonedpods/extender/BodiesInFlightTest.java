package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThat;

import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.extender.config.ConnectionLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bodies take memory as their bytes arrive, never as announced, and all of them together no more than
 * extender.bodiesInFlightBytes. Here the bound is 64 KiB, eight chunks of 8 KiB.
 */
class BodiesInFlightTest {
    static final long BUDGET = 64 * 1024;
    static TestExtender extender;
    static String body;

    @BeforeAll
    static void start() {
        extender = TestExtender.withWebPod(config -> ConfigEdits.limits(
                ConfigEdits.bodyLimitBytes(config, BUDGET),
                new ConnectionLimits(BUDGET, 30, ConnectionLimits.DEFAULT_MAX_CONNECTIONS)));
        body = extender.webFilterRequest();
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    /**
     * Each test starts with no body in flight. An earlier test's holders give their chunks back only once their reads
     * fail on the closed sockets: if this test's holders came first, some of them would be refused, and the budget
     * would never be all held (the CI failure of 2026-12-06, "gauge not at 64 KiB within 10 s").
     */
    @BeforeEach
    void noBodyInFlight() {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bytesInFlight(0));
    }

    static boolean bytesInFlight(long bytes) {
        return extender.client
                .get("/metrics")
                .body()
                .contains("extender_request_body_bytes_in_flight " + bytes + ".0\n");
    }

    static RawHttp announce(long length, String firstBytes) {
        return new RawHttp(extender.server.port())
                .send("POST /scheduler/filter HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n" + firstBytes);
    }

    @Test
    void bodiesAnnouncedButNotSentHoldOneChunkEach() {
        List<RawHttp> holders = new ArrayList<>();
        try {
            // Seven announce the whole budget each and send one byte: seven chunks, one left.
            for (int i = 0; i < 7; i++) {
                holders.add(announce(BUDGET, "{"));
            }
            HostileInputTest.assertNormalRequestWorks(extender);
        } finally {
            holders.forEach(RawHttp::close);
        }
    }

    @Test
    void aBodyPastTheBoundIsRefused503AndClosedAndTheNextOnePassesOnceTheBytesAreGone() {
        List<RawHttp> holders = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                holders.add(announce(BUDGET, "{"));
            }
            // The eight holders' handlers have taken their chunks: the ninth body finds the budget spent.
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> bytesInFlight(BUDGET));
            RawHttp ninth = announce(body.length(), body);
            RawHttp.Response refused = ninth.response();

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).contains("extender.bodiesInFlightBytes");
            assertThat(refused.says("Retry-After", "1")).isTrue();
            assertThat(ninth.closedWithin(Duration.ofSeconds(8))).isTrue();
        } finally {
            holders.forEach(RawHttp::close);
        }
        // The holders are gone (their reads fail once the sockets close): their chunks come back.
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                extender.client.post("/scheduler/filter", body).status())
                        .isEqualTo(200));
    }
}

package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maroonedpods.extender.config.ConfigEdits;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * extender.bodyLimitBytes is Helidon's maxPayloadSize: a body of exactly the limit is answered; a larger declared
 * length is refused before its body is read, and a chunked body as it passes the limit; both with 413 naming the
 * setting, and the connection closed (the rest of the body is never read).
 */
class BodyLimitTest {
    static final int LIMIT = 4096;
    static TestExtender extender;
    static String body;

    @BeforeAll
    static void start() {
        extender = TestExtender.withWebPod(config -> ConfigEdits.bodyLimitBytes(config, LIMIT));
        // A filter request padded with the whitespace JSON allows after it to exactly the limit.
        String request = extender.webFilterRequest();
        body = request + " ".repeat(LIMIT - request.length());
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    @Test
    void aBodyOfExactlyTheLimitIsAnswered() {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            RawHttp.Response response = http.send(FramingTest.head("Content-Length: " + body.length()) + body)
                    .response();

            assertThat(response.status()).as(response.body()).isEqualTo(200);
        }
    }

    @Test
    void aDeclaredLengthPastTheLimitGets413BeforeItsBodyIsSent() throws Exception {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            RawHttp.Response response = http.send(FramingTest.head("Content-Length: " + (body.length() + 1)))
                    .response();

            assertThat(response.status()).isEqualTo(413);
            assertThat(error(response))
                    .isEqualTo("request body of " + (body.length() + 1) + " bytes exceeds the " + "limit of " + LIMIT
                            + " bytes (extender.bodyLimitBytes)");
            assertThat(http.closedWithin(Duration.ofSeconds(5)))
                    .as("closed, the body unread")
                    .isTrue();
        }
        HostileInputTest.assertNormalRequestWorks(extender);
    }

    @Test
    void aChunkedBodyPastTheLimitGets413AsItPassesIt() throws Exception {
        String half = body.substring(0, body.length() / 2 + 1);
        try (RawHttp http = new RawHttp(extender.server.port())) {
            RawHttp.Response response = http.send(FramingTest.head("Transfer-Encoding: chunked"))
                    .send(Integer.toHexString(half.length()) + "\r\n" + half + "\r\n")
                    .send(Integer.toHexString(half.length()) + "\r\n" + half + "\r\n")
                    .response();

            assertThat(response.status()).isEqualTo(413);
            assertThat(error(response)).contains("exceeds the limit (extender.bodyLimitBytes)");
            assertThat(response.says("Connection", "close"))
                    .as(response.headers())
                    .isTrue();
            assertThat(http.closedWithin(Duration.ofSeconds(5)))
                    .as("closed, the rest unread")
                    .isTrue();
        }
        HostileInputTest.assertNormalRequestWorks(extender);
    }

    private static String error(RawHttp.Response response) throws Exception {
        return new ObjectMapper().readTree(response.body()).path("Error").asText();
    }
}

package io.maroonedpods.extender;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maroonedpods.api.Names;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests whose body framing is in doubt, written byte by byte (issue 17: a negative Content-Length and an invalid
 * chunk size were answered 500): each gets 400 naming the problem, never a 5xx, and the connection is closed, since
 * where the next request would start is unknown. Connection: close is honoured, in any spelling.
 */
class FramingTest {
    static TestExtender extender;
    static String body;
    static String node;

    /** A request head (up to and including the blank line), what follows it, and a fragment of the Error. */
    record Case(String name, String head, String after, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void start() {
        extender = TestExtender.withWebPod(config -> config);
        body = extender.webFilterRequest();
        node = Names.nodeName(extender.webUid());
    }

    @AfterAll
    static void stop() {
        extender.close();
    }

    static String head(String... headers) {
        return "POST /scheduler/filter HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + String.join("", Stream.of(headers).map(h -> h + "\r\n").toList()) + "\r\n";
    }

    static Stream<Case> framingErrors() {
        String chunk = Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
        return Stream.of(
                new Case(
                        "negative Content-Length",
                        head("Content-Length: -5"),
                        body,
                        "Content-Length \"-5\": must be a non-negative whole number"),
                new Case(
                        "signed Content-Length",
                        head("Content-Length: +" + body.length()),
                        body,
                        "must be a non-negative whole number"),
                new Case(
                        "Content-Length that is not a number",
                        head("Content-Length: abc"),
                        body,
                        "Content-Length \"abc\": must be a non-negative whole number"),
                new Case(
                        "Content-Length past a long",
                        head("Content-Length: 99999999999999999999"),
                        body,
                        "must be a non-negative whole number"),
                new Case(
                        "two different Content-Lengths",
                        head("Content-Length: " + body.length(), "Content-Length: 5"),
                        body,
                        "Content-Length sent 2 times"),
                new Case(
                        "a list of Content-Lengths",
                        head("Content-Length: 5, 5"),
                        body,
                        "Content-Length \"5, 5\": must be a non-negative whole number"),
                new Case(
                        "both Content-Length and Transfer-Encoding",
                        head("Content-Length: " + body.length(), "Transfer-Encoding: chunked"),
                        chunk,
                        "both Content-Length and Transfer-Encoding"),
                new Case(
                        "gzip before chunked",
                        head("Transfer-Encoding: gzip, chunked"),
                        chunk,
                        "Transfer-Encoding \"gzip, chunked\" not supported"),
                new Case(
                        "chunked spelt in capitals",
                        head("Transfer-Encoding: Chunked"),
                        chunk,
                        "Transfer-Encoding \"Chunked\" not supported"),
                new Case(
                        "Transfer-Encoding twice",
                        head("Transfer-Encoding: chunked", "Transfer-Encoding: chunked"),
                        chunk,
                        "not supported"),
                new Case("identity transfer coding", head("Transfer-Encoding: identity"), body, "not supported"),
                new Case(
                        "invalid chunk size",
                        head("Transfer-Encoding: chunked"),
                        "zz\r\n" + body + "\r\n0\r\n\r\n",
                        "malformed request body framing"),
                new Case(
                        "negative chunk size",
                        head("Transfer-Encoding: chunked"),
                        "-5\r\nhello\r\n0\r\n\r\n",
                        "malformed request body framing"),
                new Case(
                        "chunk size past an int",
                        head("Transfer-Encoding: chunked"),
                        "fffffffffffffffff\r\nhello\r\n0\r\n\r\n",
                        "malformed request body framing"),
                new Case(
                        "trailer after the last chunk",
                        head("Transfer-Encoding: chunked"),
                        chunk.substring(0, chunk.length() - 2) + "X-Trailer: 1\r\n\r\n",
                        "malformed request body framing"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("framingErrors")
    void framingErrorGetsA400NamingItAndTheConnectionIsClosed(Case c) throws Exception {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            RawHttp.Response response = http.send(c.head()).send(c.after()).response();

            assertThat(response.status())
                    .as(response.headers() + response.body())
                    .isEqualTo(400);
            assertThat(new ObjectMapper()
                            .readTree(response.body())
                            .path("Error")
                            .asText())
                    .contains(c.error());
            assertThat(response.says("Connection", "close"))
                    .as(response.headers())
                    .isTrue();
            assertThat(http.closedWithin(Duration.ofSeconds(5)))
                    .as("connection closed after the 400")
                    .isTrue();
        }
        HostileInputTest.assertNormalRequestWorks(extender);
    }

    @Test
    void aWellFramedChunkedBodyIsAnswered() throws Exception {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            String half = body.substring(0, body.length() / 2);
            String rest = body.substring(half.length());
            RawHttp.Response response = http.send(head("Transfer-Encoding: chunked"))
                    .send(Integer.toHexString(half.length()) + "\r\n" + half + "\r\n")
                    .send(Integer.toHexString(rest.length()) + "\r\n" + rest + "\r\n0\r\n\r\n")
                    .response();

            assertThat(response.status()).as(response.body()).isEqualTo(200);
            assertThat(new ObjectMapper()
                            .readTree(response.body())
                            .at("/NodeNames/0")
                            .asText())
                    .isEqualTo(node);
        }
    }

    @Test
    void connectionCloseClosesTheSocketAfterTheAnswer() {
        for (String spelling : List.of("close", "Close", "keep-alive, CLOSE")) {
            try (RawHttp http = new RawHttp(extender.server.port())) {
                RawHttp.Response response = http.send(
                                head("Content-Length: " + body.length(), "Connection: " + spelling) + body)
                        .response();

                assertThat(response.status()).as(spelling).isEqualTo(200);
                assertThat(response.says("Connection", "close"))
                        .as(spelling + ": " + response.headers())
                        .isTrue();
                assertThat(http.closedWithin(Duration.ofSeconds(5)))
                        .as("closed after Connection: " + spelling)
                        .isTrue();
            }
        }
    }

    @Test
    void withoutConnectionCloseTheConnectionServesTheNextRequest() {
        try (RawHttp http = new RawHttp(extender.server.port())) {
            String request = head("Content-Length: " + body.length()) + body;

            assertThat(http.send(request).response().status()).isEqualTo(200);
            assertThat(http.send(request).response().status()).isEqualTo(200);
        }
    }
}

package io.maroonedpods.extender;

import static io.maroonedpods.extender.Fixtures.OWN_NODE;
import static io.maroonedpods.extender.Fixtures.UID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maroonedpods.extender.config.ConfigEdits;
import io.maroonedpods.extender.config.ExtenderConfig;
import io.maroonedpods.testcluster.TestCluster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * An answer larger than a chunk (64 KiB) goes out in pieces while it is written, so that a request in flight holds a
 * chunk and not its whole answer: the scheduler must still get the same complete JSON, plain or gzipped, with its
 * Content-Length when it is known up front (a NodeNames filter answer), chunked otherwise; a small answer still comes
 * whole with its Content-Length.
 */
class LargeAnswersTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** kube-scheduler calls its extenders over HTTP/1.1. */
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Enough candidates for a filter answer of about 150 KB: every one but the pod's own node is rejected. */
    static final int CANDIDATES = 3_000;

    record Answer(int status, String contentLength, String transferEncoding, String contentEncoding, String body) {}

    @Test
    void aLargeFilterAnswerGoesOutInPiecesWithItsExactLengthAndTheSameGzipped() throws Exception {
        String request = filterRequest(CANDIDATES);
        Answer plain = call("/scheduler/filter", request, Integer.MAX_VALUE);
        Answer gzipped = call("/scheduler/filter", request, ExtenderConfig.DEFAULT_GZIP_MIN);

        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.contentEncoding()).isNull();
        assertThat(plain.transferEncoding()).isNull();
        assertThat(plain.body()).hasSizeGreaterThan(2 * 64 * 1024);
        assertThat(plain.contentLength())
                .as("announced before the first piece")
                .isEqualTo(String.valueOf(plain.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(gzipped.status()).isEqualTo(200);
        assertThat(gzipped.contentEncoding()).isEqualTo("gzip");
        assertThat(gzipped.transferEncoding())
                .as("gzipped length unknown until the end")
                .isEqualTo("chunked");
        assertThat(gzipped.body()).isEqualTo(plain.body());
        JsonNode json = JSON.readTree(plain.body());
        assertThat(json.get("NodeNames")).hasSize(1);
        assertThat(json.get("NodeNames").get(0).asText()).isEqualTo(OWN_NODE);
        assertThat(json.get("FailedAndUnresolvableNodes")).hasSize(CANDIDATES - 1);
        assertThat(json.get("Error").asText()).isEmpty();
    }

    @Test
    void aLargeAnswerOfUnknownLengthGoesOutChunked() throws Exception {
        Answer answer = call("/scheduler/prioritize", filterRequest(CANDIDATES), Integer.MAX_VALUE);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.transferEncoding()).isEqualTo("chunked");
        assertThat(answer.body()).hasSizeGreaterThan(64 * 1024);
        JsonNode scores = JSON.readTree(answer.body());
        assertThat(scores).hasSize(CANDIDATES);
        assertThat(scores.get(0).get("Host").asText()).isEqualTo(OWN_NODE);
        assertThat(scores.get(0).get("Score").asInt()).isEqualTo(10);
    }

    @Test
    void aSmallAnswerComesWholeWithItsLength() throws Exception {
        Answer answer = call("/scheduler/filter", filterRequest(10), Integer.MAX_VALUE);

        assertThat(answer.transferEncoding()).isNull();
        assertThat(answer.contentLength())
                .isEqualTo(String.valueOf(answer.body().length()));
        assertThat(JSON.readTree(answer.body()).get("FailedAndUnresolvableNodes"))
                .hasSize(9);
    }

    private static Answer call(String path, String request, int gzipMinBytes) throws Exception {
        TestCluster api = TestCluster.start("team-a");
        api.client().nodes().resource(Fixtures.verifiedApiNode(OWN_NODE, UID)).create();
        try (TestExtender extender =
                TestExtender.start(api, config -> ConfigEdits.gzipMinBytes(config, gzipMinBytes))) {
            HttpResponse<byte[]> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + extender.server.port() + path))
                            .header("Content-Type", "application/json")
                            .header("Accept-Encoding", "gzip")
                            .POST(HttpRequest.BodyPublishers.ofString(request))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String encoding = response.headers().firstValue("Content-Encoding").orElse(null);
            return new Answer(
                    response.statusCode(),
                    response.headers().firstValue("Content-Length").orElse(null),
                    response.headers().firstValue("Transfer-Encoding").orElse(null),
                    encoding,
                    text(response.body(), "gzip".equals(encoding)));
        }
    }

    private static String filterRequest(int candidates) {
        List<String> names = new ArrayList<>(List.of(OWN_NODE));
        for (int i = 1; i < candidates; i++) {
            names.add("worker-" + i);
        }
        return Fixtures.namesArgs(Fixtures.maroonPodJson(), names);
    }

    private static String text(byte[] body, boolean gzipped) throws IOException {
        if (!gzipped) {
            return new String(body, StandardCharsets.UTF_8);
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

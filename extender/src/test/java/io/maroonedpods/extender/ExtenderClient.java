package io.maroonedpods.extender;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/** What kube-scheduler does over HTTP, with the JDK client: POST JSON, accept gzip, read status and body. */
public final class ExtenderClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;

    public ExtenderClient(String base) {
        this(HttpClient.newHttpClient(), base);
    }

    public ExtenderClient(HttpClient http, String base) {
        this.http = http;
        this.base = base;
    }

    /** Status, decoded body text, and whether it came gzipped. */
    public record Reply(int status, String body, boolean gzipped) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** The Error field of a JSON answer. */
        public String error() {
            return json().path("Error").asText();
        }
    }

    public Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean gzipped = response.headers()
                    .firstValue("Content-Encoding")
                    .filter("gzip"::equals)
                    .isPresent();
            byte[] body = response.body();
            if (gzipped) {
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            return new Reply(response.statusCode(), new String(body, StandardCharsets.UTF_8), gzipped);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.maroonedpods.simulator.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.maroonedpods.simulator.scheduler.SchedulerProfile.ExtenderSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Calls a scheduler extender the way kube-scheduler's HTTPExtender does: POST {urlPrefix}/{verb} with the
 * k8s.io/kube-scheduler/extender/v1 types as JSON (Go field names, unset fields as null), gzip accepted, only
 * HTTP 200 counts, a non-empty Error fails the call. Responses are read case-insensitively, like Go's decoder.
 */
public final class ExtenderClient {

    /** Why an extender call failed: the attempt fails and the pod backs off. */
    public static final class ExtenderException extends Exception {
        public ExtenderException(String message) {
            super(message);
        }
    }

    /** The filter answer: the feasible node names and, per rejected node, why. */
    public record FilterResult(
            List<String> nodeNames, Map<String, String> failedNodes, Map<String, String> failedAndUnresolvableNodes) {}

    private final String urlPrefix;
    private final ExtenderSettings settings;
    private final HttpClient http;
    private final ObjectMapper json = Serialization.jsonMapper();

    public ExtenderClient(String baseUrl, ExtenderSettings settings) {
        this.urlPrefix = baseUrl + settings.urlPath();
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.httpTimeout())
                .build();
    }

    public String urlPrefix() {
        return urlPrefix;
    }

    public ExtenderSettings settings() {
        return settings;
    }

    public FilterResult filter(Pod pod, List<Node> nodes) throws ExtenderException {
        JsonNode result = post(settings.filterVerb(), args(pod, nodes));
        error(result, "filter");
        List<String> names;
        if (settings.nodeCacheCapable()) {
            names = texts(field(result, "NodeNames"));
        } else {
            names = new java.util.ArrayList<>();
            for (JsonNode node : field(field(result, "Nodes"), "items")) {
                names.add(node.path("metadata").path("name").asText());
            }
        }
        return new FilterResult(
                names, reasons(field(result, "FailedNodes")), reasons(field(result, "FailedAndUnresolvableNodes")));
    }

    /** Host → score (0..10). */
    public Map<String, Integer> prioritize(Pod pod, List<Node> nodes) throws ExtenderException {
        JsonNode result = post(settings.prioritizeVerb(), args(pod, nodes));
        Map<String, Integer> scores = new HashMap<>();
        for (JsonNode host : result) {
            scores.put(field(host, "Host").asText(), field(host, "Score").asInt());
        }
        return scores;
    }

    public void bind(Pod pod, String node) throws ExtenderException {
        ObjectNode args = json.createObjectNode()
                .put("PodName", pod.getMetadata().getName())
                .put("PodNamespace", pod.getMetadata().getNamespace())
                .put("PodUID", pod.getMetadata().getUid())
                .put("Node", node);
        error(post(settings.bindVerb(), args), "bind");
    }

    /** ExtenderArgs: NodeNames mode when the extender is node-cache capable, else full Nodes; the other key null. */
    ObjectNode args(Pod pod, List<Node> nodes) {
        ObjectNode args = json.createObjectNode();
        args.set("Pod", withoutTypeMeta(pod));
        if (settings.nodeCacheCapable()) {
            args.putNull("Nodes");
            ArrayNode names = args.putArray("NodeNames");
            nodes.forEach(n -> names.add(n.getMetadata().getName()));
        } else {
            ObjectNode list = args.putObject("Nodes");
            list.putObject("metadata");
            ArrayNode items = list.putArray("items");
            nodes.forEach(n -> items.add(withoutTypeMeta(n)));
            args.putNull("NodeNames");
        }
        return args;
    }

    private ObjectNode withoutTypeMeta(HasMetadata object) {
        ObjectNode tree = json.valueToTree(object);
        tree.remove("apiVersion");
        tree.remove("kind");
        return tree;
    }

    private JsonNode post(String verb, JsonNode body) throws ExtenderException {
        String url = urlPrefix + "/" + verb;
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(settings.httpTimeout())
                .header("Content-Type", "application/json")
                .header("Accept-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new ExtenderException("Post \"" + url + "\": timed out after "
                    + settings.httpTimeout().toMillis() + " ms");
        } catch (IOException e) {
            throw new ExtenderException("Post \"" + url + "\": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtenderException("Post \"" + url + "\": interrupted");
        }
        String text = body(response);
        if (response.statusCode() != 200) {
            throw new ExtenderException("failed " + verb + " with extender at URL " + url + ", code "
                    + response.statusCode() + ": " + text.substring(0, Math.min(200, text.length())));
        }
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new ExtenderException("extender " + verb + " answered with invalid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static String body(HttpResponse<byte[]> response) throws ExtenderException {
        boolean gzip = response.headers()
                .firstValue("Content-Encoding")
                .map(v -> v.equalsIgnoreCase("gzip"))
                .orElse(false);
        try (InputStream in = gzip
                ? new GZIPInputStream(new ByteArrayInputStream(response.body()))
                : new ByteArrayInputStream(response.body())) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExtenderException("extender answer could not be decompressed: " + e.getMessage());
        }
    }

    private static void error(JsonNode result, String verb) throws ExtenderException {
        String error = field(result, "Error").asText("");
        if (!error.isEmpty()) {
            throw new ExtenderException("extender " + verb + " error: " + error);
        }
    }

    /** A field found the way Go's encoding/json finds it: exact name first, then case-insensitively. */
    static JsonNode field(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (object.has(name)) {
            return object.get(name);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static Map<String, String> reasons(JsonNode map) {
        Map<String, String> reasons = new LinkedHashMap<>();
        if (map.isObject()) {
            map.fields()
                    .forEachRemaining(e -> reasons.put(e.getKey(), e.getValue().asText()));
        }
        return reasons;
    }
}

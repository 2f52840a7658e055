package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maroonedpods.testcluster.store.ApiException;
import io.maroonedpods.testcluster.store.FieldSelector;
import io.maroonedpods.testcluster.store.LabelSelector;
import io.maroonedpods.testcluster.store.ResourcePath;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What the simulated API server answers: a JSON reply, or a watch for the HTTP layer to open. */
public sealed interface ApiAnswer {

    /** @param headers extra response headers (Content-Type is always JSON) */
    record Reply(int code, byte[] body, Map<String, String> headers) implements ApiAnswer {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * A watch to start once its connection is ready.
     *
     * @param resourceVersion where it starts (null: the current objects as ADDED)
     * @param timeoutSeconds  when the server ends it (0: never), as kube-apiserver honours {@code timeoutSeconds}
     * @param component       whether a component opened it (such watches can be dropped on purpose)
     */
    record Watch(
            ResourcePath at,
            LabelSelector labels,
            FieldSelector fields,
            Long resourceVersion,
            long timeoutSeconds,
            boolean component)
            implements ApiAnswer {}

    static Reply json(int code, byte[] body) {
        return new Reply(code, body, Map.of());
    }

    static Reply json(int code, String body) {
        return json(code, body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply status(ApiException e) {
        return status(e.code(), e.reason(), e.getMessage());
    }

    static Reply status(int code, String reason, String message) {
        ObjectNode status = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
                .createObjectNode()
                .put("kind", "Status")
                .put("apiVersion", "v1")
                .put("status", "Failure")
                .put("message", message)
                .put("reason", reason)
                .put("code", code);
        status.putObject("metadata");
        return json(code, status.toString());
    }

    static Reply success(int code) {
        return json(
                code,
                "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Success\",\"code\":" + code
                        + "}");
    }
}

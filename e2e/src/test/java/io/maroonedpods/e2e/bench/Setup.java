package io.maroonedpods.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One way kube-scheduler runs in the benchmark: without an extender, or with the main-scheduler stanza's extender
 * entry pointed at a local extender over plain HTTP (the stanza's mutual TLS is left out: see bench/RESULTS.md).
 *
 * @param key        short name (namespaces, logs)
 * @param label      what the report calls it
 * @param url        the extender's urlPrefix, null for none
 * @param metricsUrl the extender's Prometheus endpoint when it has one (ours), else null
 * @param pid        the extender's process, 0 for none
 */
record Setup(String key, String label, String url, String metricsUrl, long pid) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Setup none() {
        return new Setup("none", "no extender", null, null, 0);
    }

    /**
     * The scheduler configuration: {@code stanza} (manifests/overlays/main-scheduler/scheduler-extenders-stanza.yaml)
     * without its extenders, or with its one extender sent to {@link #url} over HTTP.
     */
    String schedulerConfig(String stanza) {
        try {
            ObjectNode config = (ObjectNode) YAML.readTree(stanza);
            ArrayNode extenders = (ArrayNode) config.get("extenders");
            if (url == null) {
                config.remove("extenders");
            } else {
                ObjectNode extender = (ObjectNode) extenders.get(0);
                extender.put("urlPrefix", url).put("enableHTTPS", false).remove("tlsConfig");
            }
            return YAML.writeValueAsString(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return label;
    }
}

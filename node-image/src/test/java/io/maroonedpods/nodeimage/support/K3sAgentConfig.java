package io.maroonedpods.nodeimage.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Taint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The k3s agent config drop-in the boot script renders, read as k3s reads it: YAML, with {@code node-label} items as
 * {@code key=value} and {@code node-taint} items as {@code key=value:Effect}.
 */
public record K3sAgentConfig(
        String server,
        String tokenFile,
        String nodeName,
        String nodeIp,
        Map<String, String> labels,
        List<Taint> taints) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public static K3sAgentConfig parse(String yaml) {
        JsonNode config;
        try {
            config = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (JsonNode item : config.path("node-label")) {
            String[] kv = item.asText().split("=", 2);
            labels.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        List<Taint> taints = new ArrayList<>();
        for (JsonNode item : config.path("node-taint")) {
            String text = item.asText();
            int colon = text.lastIndexOf(':');
            String[] kv = text.substring(0, colon).split("=", 2);
            taints.add(new Taint(text.substring(colon + 1), kv[0], null, kv.length > 1 ? kv[1] : null));
        }
        return new K3sAgentConfig(
                config.path("server").asText(),
                config.path("token-file").asText(),
                config.path("node-name").asText(),
                config.path("node-ip").asText(),
                labels,
                taints);
    }
}

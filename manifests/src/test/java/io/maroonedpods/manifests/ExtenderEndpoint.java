package io.maroonedpods.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.manifests.yaml.StrictYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where and what the extender serves, as the extender module declares it: port and URL prefix from
 * extender/src/main/resources/application.yaml ({@code extender.port}, {@code extender.prefix}) when that file sets
 * them, otherwise the documented defaults (8888, /scheduler). The verbs are the extender's routes under the prefix.
 */
public record ExtenderEndpoint(int port, String prefix, String source) {

    static final Path APPLICATION_YAML = Repo.ROOT.resolve("extender/src/main/resources/application.yaml");
    static final int DEFAULT_PORT = 8888;
    static final String DEFAULT_PREFIX = "/scheduler";

    /** The routes the extender serves under its prefix (kube-scheduler calls urlPrefix + "/" + verb). */
    public static final List<String> VERBS = List.of("filter", "prioritize", "bind", "preempt");

    public static ExtenderEndpoint declared() {
        if (!Files.isRegularFile(APPLICATION_YAML)) {
            return new ExtenderEndpoint(DEFAULT_PORT, DEFAULT_PREFIX, "documented defaults (no " + APPLICATION_YAML + ")");
        }
        JsonNode extender = StrictYaml.documents(APPLICATION_YAML).stream()
                .map(doc -> doc.path("extender")).filter(JsonNode::isObject).findFirst().orElse(null);
        int port = extender != null && extender.hasNonNull("port") ? extender.get("port").asInt() : DEFAULT_PORT;
        String prefix = extender != null && extender.hasNonNull("prefix") ? extender.get("prefix").asText() : DEFAULT_PREFIX;
        return new ExtenderEndpoint(port, prefix, Repo.relative(APPLICATION_YAML));
    }
}

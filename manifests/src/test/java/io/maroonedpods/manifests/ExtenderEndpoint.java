package io.maroonedpods.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.manifests.yaml.StrictYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where and what the extender serves, as the extender module declares it: port and URL prefix from
 * extender/src/main/resources/application.yaml ({@code extender.port}, {@code extender.prefix}), which must set them.
 * The verbs are the extender's routes under the prefix.
 */
public record ExtenderEndpoint(int port, String prefix, Set<String> keys, String source) {

    static final Path APPLICATION_YAML = Repo.ROOT.resolve("extender/src/main/resources/application.yaml");

    /** The routes the extender serves under its prefix (kube-scheduler calls urlPrefix + "/" + verb). */
    public static final List<String> VERBS = List.of("filter", "prioritize", "bind", "preempt");

    public static ExtenderEndpoint declared() {
        if (!Files.isRegularFile(APPLICATION_YAML)) {
            throw new IllegalStateException("the extender's defaults are missing: " + APPLICATION_YAML);
        }
        JsonNode extender = StrictYaml.documents(APPLICATION_YAML).stream()
                .map(doc -> doc.path("extender"))
                .filter(JsonNode::isObject)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(APPLICATION_YAML + " has no extender: section"));
        if (!extender.hasNonNull("port") || !extender.hasNonNull("prefix")) {
            throw new IllegalStateException(APPLICATION_YAML + " must set extender.port and extender.prefix");
        }
        int port = extender.get("port").asInt();
        String prefix = extender.get("prefix").asText();
        Set<String> keys = new TreeSet<>();
        addKeys("", extender, keys);
        return new ExtenderEndpoint(port, prefix, keys, Repo.relative(APPLICATION_YAML));
    }

    /** The keys of a section, nested ones dotted ({@code tls.certFile}), as Helidon names them. */
    private static void addKeys(String prefix, JsonNode section, Set<String> keys) {
        section.fields().forEachRemaining(field -> {
            if (field.getValue().isObject()) {
                addKeys(prefix + field.getKey() + ".", field.getValue(), keys);
            } else {
                keys.add(prefix + field.getKey());
            }
        });
    }

    /**
     * The config key an environment variable sets: Helidon maps {@code EXTENDER_PORT} to {@code extender.port} (upper
     * case lowered, {@code _} to {@code .}) and the extender also looks camelCase keys up lower-cased, so
     * {@code EXTENDER_BINDADDRESS} sets {@code extender.bindAddress} while {@code EXTENDER_BIND_ADDRESS} would set the
     * unknown {@code extender.bind.address}. Empty when the variable names no key of the extender.
     */
    public Optional<String> keyOf(String environmentVariable) {
        String mapped = environmentVariable.toLowerCase(Locale.ROOT).replace('_', '.');
        return keys.stream()
                .filter(k -> ("extender." + k).toLowerCase(Locale.ROOT).equals(mapped))
                .findFirst();
    }
}

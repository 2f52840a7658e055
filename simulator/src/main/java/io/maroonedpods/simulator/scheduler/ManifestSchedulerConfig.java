package io.maroonedpods.simulator.scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.maroonedpods.api.Names;
import io.maroonedpods.simulator.scheduler.SchedulerProfile.ExtenderSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the maroon-scheduler profile from the secondary-scheduler overlay's KubeSchedulerConfiguration (copied into
 * the jar at build time, see the pom): backoff and extender settings. Finds the configuration whether it is a
 * document of its own or embedded in a ConfigMap.
 */
public final class ManifestSchedulerConfig {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** kube-scheduler's backoff for the maroon-scheduler profile when the jar carries no manifest. */
    public static final Duration FALLBACK_INITIAL_BACKOFF = Duration.ofSeconds(1);

    public static final Duration FALLBACK_MAX_BACKOFF = Duration.ofSeconds(2);

    private ManifestSchedulerConfig() {}

    /** The profile from the manifests the jar was built with, or the design's values (1 s → 2 s) when there are none. */
    public static SchedulerProfile maroonProfile() {
        Map<String, String> files = ClasspathManifests.read("scheduler-manifests");
        for (Map.Entry<String, String> file : files.entrySet()) {
            Optional<SchedulerProfile> profile =
                    fromYaml(file.getValue(), "manifests/overlays/secondary-scheduler/" + file.getKey());
            if (profile.isPresent()) {
                return profile.get();
            }
        }
        return new SchedulerProfile(
                Names.SCHEDULER_NAME,
                FALLBACK_INITIAL_BACKOFF,
                FALLBACK_MAX_BACKOFF,
                ExtenderSettings.designDefaults(),
                "design defaults (the jar was built without a KubeSchedulerConfiguration in manifests/overlays/secondary-scheduler)");
    }

    /** The maroon-scheduler profile of the KubeSchedulerConfiguration in this YAML (multi-document), if any. */
    public static Optional<SchedulerProfile> fromYaml(String yaml, String source) {
        for (JsonNode document : documents(yaml)) {
            for (JsonNode config : schedulerConfigurations(document)) {
                Optional<SchedulerProfile> profile = profile(config, source);
                if (profile.isPresent()) {
                    return profile;
                }
            }
        }
        return Optional.empty();
    }

    private static List<JsonNode> schedulerConfigurations(JsonNode document) {
        List<JsonNode> found = new ArrayList<>();
        if ("KubeSchedulerConfiguration".equals(document.path("kind").asText())) {
            found.add(document);
        } else if ("ConfigMap".equals(document.path("kind").asText())) {
            document.path("data")
                    .forEach(value -> documents(value.asText()).stream()
                            .filter(d -> "KubeSchedulerConfiguration"
                                    .equals(d.path("kind").asText()))
                            .forEach(found::add));
        }
        return found;
    }

    private static Optional<SchedulerProfile> profile(JsonNode config, String source) {
        boolean hasProfile = false;
        for (JsonNode profile : config.path("profiles")) {
            hasProfile |=
                    Names.SCHEDULER_NAME.equals(profile.path("schedulerName").asText());
        }
        if (!hasProfile) {
            return Optional.empty();
        }
        Duration initial =
                Duration.ofSeconds(config.path("podInitialBackoffSeconds").asLong(1));
        Duration max = Duration.ofSeconds(config.path("podMaxBackoffSeconds").asLong(10));
        ExtenderSettings extender = null;
        for (JsonNode e : config.path("extenders")) {
            if (!e.path("filterVerb").asText().isEmpty()) {
                extender = new ExtenderSettings(
                        urlPath(e.path("urlPrefix").asText()),
                        e.path("filterVerb").asText(),
                        e.path("prioritizeVerb").asText(""),
                        e.path("bindVerb").asText(""),
                        e.path("nodeCacheCapable").asBoolean(false),
                        goDuration(e.path("httpTimeout").asText("5s")),
                        e.path("weight").asInt(1));
                break;
            }
        }
        return Optional.of(new SchedulerProfile(Names.SCHEDULER_NAME, initial, max, extender, source));
    }

    private static String urlPath(String urlPrefix) {
        try {
            String path = URI.create(urlPrefix).getPath();
            return path == null ? "" : path.replaceAll("/$", "");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** Go's time.Duration text as KubeSchedulerConfiguration writes it (5s, 500ms, 1m30s). */
    static Duration goDuration(String text) {
        Matcher m = GO_DURATION.matcher(text);
        Duration total = Duration.ZERO;
        boolean any = false;
        while (m.find()) {
            any = true;
            double amount = Double.parseDouble(m.group(1));
            long millis = (long) (amount
                    * switch (m.group(2)) {
                        case "ms" -> 1;
                        case "s" -> 1_000;
                        case "m" -> 60_000;
                        default -> 3_600_000;
                    });
            total = total.plusMillis(millis);
        }
        return any ? total : Duration.ofSeconds(5);
    }

    private static List<JsonNode> documents(String yaml) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode document = it.next();
                if (document != null && document.isObject()) {
                    documents.add(document);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not YAML we understand (a kustomize patch, a template): not a scheduler configuration.
        }
        return documents;
    }
}

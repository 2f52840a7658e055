package io.maroonedpods.manifests.yaml;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.maroonedpods.api.config.MaroonedPodsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads YAML into typed objects, refusing any field the type does not know. fabric8's model classes keep unknown
 * fields in an "additionalProperties" map ({@code @JsonAnySetter}), so FAIL_ON_UNKNOWN_PROPERTIES alone never fires
 * for them: this mapper removes the any-setter from every fabric8 bean so that a misspelt field is an error naming it.
 */
public final class StrictYaml {
    private StrictYaml() {}

    static final ObjectMapper MAPPER = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule("no-additional-properties")
                    .setDeserializerModifier(new BeanDeserializerModifier() {
                        @Override
                        public BeanDeserializerBuilder updateBuilder(
                                DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
                            if (bean.getBeanClass().getName().startsWith("io.fabric8.")) {
                                builder.setAnySetter(null);
                            }
                            return builder;
                        }
                    }))
            .build();

    /** Kinds fabric8 does not model, read into our own small records. */
    static final Map<String, Class<?>> OWN_MODELS = Map.of(
            "kubescheduler.config.k8s.io/v1/KubeSchedulerConfiguration", SchedulerConfig.class,
            "kustomize.config.k8s.io/v1beta1/Kustomization", Kustomization.class);

    private static final KubernetesSerialization FABRIC8 = new KubernetesSerialization();

    static {
        FABRIC8.registerKubernetesResource(MaroonedPodsConfig.class);
    }

    /** The documents of a (multi-document) YAML file as trees; empty documents are skipped. */
    public static List<JsonNode> documents(Path file) {
        try (var parser = MAPPER.createParser(Files.readString(file))) {
            List<JsonNode> docs = new ArrayList<>();
            for (var it = MAPPER.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** The typed class for a document's apiVersion and kind, or an error saying that nothing models it. */
    public static Class<?> typeOf(JsonNode doc) {
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new IllegalArgumentException("document has no apiVersion/kind");
        }
        Class<?> own = OWN_MODELS.get(apiVersion + "/" + kind);
        if (own != null) {
            return own;
        }
        Class<? extends KubernetesResource> type = FABRIC8.getRegisteredKubernetesResource(apiVersion, kind);
        if (type == null || type == GenericKubernetesResource.class) {
            throw new IllegalArgumentException("no typed model for " + apiVersion + " " + kind);
        }
        return type;
    }

    /** The document as its typed object; unknown fields, wrong types and unknown kinds are errors. */
    public static Object typed(JsonNode doc) {
        return convert(doc, typeOf(doc));
    }

    public static <T> T convert(JsonNode doc, Class<T> type) {
        try {
            return MAPPER.treeToValue(doc, type);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new IllegalArgumentException(e.getOriginalMessage() + " (at " + path + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of the file, typed. */
    public static List<Object> typedDocuments(Path file) {
        return documents(file).stream().map(StrictYaml::typed).toList();
    }

    /** Parses YAML text (for example the output of kubectl kustomize) into typed objects. */
    public static List<Object> typedDocuments(String yaml) {
        try (var parser = MAPPER.createParser(yaml)) {
            List<Object> objects = new ArrayList<>();
            for (var it = MAPPER.readValues(parser, JsonNode.class); it.hasNext(); ) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull()) {
                    objects.add(typed(doc));
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

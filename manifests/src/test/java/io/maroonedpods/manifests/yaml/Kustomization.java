package io.maroonedpods.manifests.yaml;

import java.util.List;
import java.util.Map;

/** The fields of kustomize's Kustomization our kustomization.yaml files use (read strictly, like every manifest). */
public record Kustomization(
        String apiVersion,
        String kind,
        List<String> resources,
        List<Label> labels,
        List<ConfigMapGenerator> configMapGenerator,
        List<Patch> patches,
        List<Image> images) {

    public record Patch(String path) {}

    public record Label(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates) {}

    public record ConfigMapGenerator(String name, String namespace, List<String> files) {}

    public record Image(String name, String newName, String newTag) {}
}

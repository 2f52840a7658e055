package io.maroonedpods.e2e.support;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the project's kustomize overlays ({@code manifests/overlays/<name>}): applied with {@code kubectl apply -k}
 * as the install guide says, and read back for what the suite runs outside a kubelet — a Deployment container's
 * environment, the scheduler's ConfigMap.
 */
public record Overlay(String name, List<HasMetadata> objects) {

    public static Overlay of(String name) {
        String yaml = Kubectl.run(null, "kustomize", "manifests/overlays/" + name);
        Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
        return new Overlay(name, documents.stream().map(HasMetadata.class::cast).toList());
    }

    /**
     * {@code kubectl apply -k}. A custom resource applied with its CRD in one go can fail while the CRD is not yet
     * served: as a user would, apply again once (the install guide says so).
     */
    public void apply(Kubeconfig admin) {
        try {
            Kubectl.run(admin, "apply", "-k", "manifests/overlays/" + name);
        } catch (IllegalStateException first) {
            ControlPlane.sleep(java.time.Duration.ofSeconds(2));
            Kubectl.run(admin, "apply", "-k", "manifests/overlays/" + name);
        }
    }

    /**
     * The environment a container of a Deployment gets, as a kubelet would give it: plain values, and the downward
     * API's {@code metadata.name} / {@code metadata.namespace} resolved for a pod named {@code podName}.
     */
    public Map<String, String> env(String deployment, String container, String podName) {
        Deployment d = objects.stream()
                .filter(o ->
                        o instanceof Deployment && o.getMetadata().getName().equals(deployment))
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no Deployment " + deployment));
        Container c = d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(x -> x.getName().equals(container))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(deployment + " has no container " + container));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            } else if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                String field = var.getValueFrom().getFieldRef().getFieldPath();
                env.put(
                        var.getName(),
                        switch (field) {
                            case "metadata.name" -> podName;
                            case "metadata.namespace" -> d.getMetadata().getNamespace();
                            default -> throw new IllegalArgumentException("unsupported fieldRef " + field);
                        });
            }
        }
        return env;
    }

    /** A key of a ConfigMap this overlay creates (kustomize's generated name suffix included). */
    public String configMapData(String namePrefix, String key) {
        return objects.stream()
                .filter(o -> o instanceof ConfigMap && o.getMetadata().getName().startsWith(namePrefix))
                .map(ConfigMap.class::cast)
                .map(cm -> cm.getData().get(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(name + " has no ConfigMap " + namePrefix + "*"));
    }
}

package io.maroonedpods.testcluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CustomResourceDefinitions an installed cluster has for the flow, created in the simulated API server before
 * anything uses their resources (it serves only built-ins and the CRDs created in it, as kube-apiserver does): the
 * project's MaroonedPodsConfig CRD, copied at build time from {@code manifests/base/crd}, and KubeVirt's
 * VirtualMachineInstance CRD as far as serving it goes ({@code crds/virtualmachineinstances.kubevirt.io.yaml}).
 */
public final class ClusterCrds {
    static final String MAROONEDPODS_CONFIG = "crds/maroonedpodsconfigs.maroonedpods.io-v1.yml";
    static final String KUBEVIRT_VMI = "crds/virtualmachineinstances.kubevirt.io.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ClusterCrds() {}

    public static List<CustomResourceDefinition> all() {
        List<CustomResourceDefinition> crds = new ArrayList<>();
        for (String resource : List.of(MAROONEDPODS_CONFIG, KUBEVIRT_VMI)) {
            crds.add(load(resource));
        }
        return crds;
    }

    /** Creates every CRD in the cluster the client talks to. */
    public static void install(KubernetesClient client) {
        all().forEach(crd -> client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(crd)
                .create());
    }

    static CustomResourceDefinition load(String resource) {
        try (InputStream in = ClusterCrds.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (the simulator's build copies the "
                        + "MaroonedPodsConfig CRD from manifests/base/crd)");
            }
            return YAML.readValue(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}

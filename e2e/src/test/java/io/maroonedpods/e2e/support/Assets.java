package io.maroonedpods.e2e.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the control-plane binaries are, in envtest's manner: a directory named by {@link #VARIABLE} holding
 * {@code etcd}, {@code kube-apiserver}, {@code kube-controller-manager}, {@code kube-scheduler} and KubeVirt's VMI CRD
 * ({@code virtualmachineinstances.kubevirt.io.yaml}). Unset: the suite is skipped.
 */
public record Assets(Path dir) {
    public static final String VARIABLE = "MAROONEDPODS_K8S_ASSETS";
    static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler");
    static final String VMI_CRD = "virtualmachineinstances.kubevirt.io.yaml";

    /** The assets named by the environment, empty when the variable is unset. */
    public static Optional<Assets> fromEnvironment() {
        String value = System.getenv(VARIABLE);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Assets assets = new Assets(Path.of(value).toAbsolutePath());
        List<String> missing = assets.missing();
        if (!missing.isEmpty()) {
            throw new IllegalStateException(VARIABLE + "=" + value + " lacks " + String.join(", ", missing)
                    + " (see e2e/README.md for where to get them)");
        }
        return Optional.of(assets);
    }

    public Path binary(String name) {
        return dir.resolve(name);
    }

    public Path vmiCrd() {
        return dir.resolve(VMI_CRD);
    }

    private List<String> missing() {
        java.util.ArrayList<String> missing = new java.util.ArrayList<>();
        BINARIES.stream().filter(b -> !Files.isExecutable(binary(b))).forEach(missing::add);
        if (!Files.isRegularFile(vmiCrd())) {
            missing.add(VMI_CRD);
        }
        return missing;
    }
}

package io.maroonedpods.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CRD under manifests/ is generated from {@link MaroonedPodsConfig} by the build. This test fails when the
 * committed copy drifts; {@code ./mvnw -pl api verify -Dcrd.update=true} rewrites it.
 */
class CrdIsCommittedTest {
    static final String FILE = "maroonedpodsconfigs.maroonedpods.io-v1.yml";
    static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", FILE);
    static final Path COMMITTED = Path.of("../manifests/base/crd", FILE);

    @Test
    void committedCrdEqualsTheGeneratedOne() throws IOException {
        String generated = Files.readString(GENERATED);
        if (Boolean.getBoolean("crd.update")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, generated);
        }
        assertThat(COMMITTED)
                .as("run ./mvnw -pl api verify -Dcrd.update=true and commit %s", COMMITTED)
                .exists();
        assertThat(Files.readString(COMMITTED))
                .as("%s drifted from the model: run ./mvnw -pl api verify -Dcrd.update=true and commit it", COMMITTED)
                .isEqualTo(generated);
    }

    @Test
    void crdIsClusterScopedWithSpecAndStatus() throws IOException {
        String crd = Files.readString(GENERATED);
        assertThat(crd)
                .contains(
                        "scope: \"Cluster\"",
                        "kind: \"MaroonedPodsConfig\"",
                        "nodeImage:",
                        "warmPoolSize:",
                        "tokenSecretRef:",
                        "observedGeneration:",
                        "status: {}");
    }
}

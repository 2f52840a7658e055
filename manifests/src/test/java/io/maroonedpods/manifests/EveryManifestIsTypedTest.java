package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.maroonedpods.manifests.yaml.StrictYaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every YAML document under manifests/ and examples/ is a known kind whose every field its typed model knows. */
class EveryManifestIsTypedTest {

    @TestFactory
    Stream<DynamicTest> everyYamlDocumentParsesIntoItsTypedModel() {
        List<Path> files = Repo.yamlFiles();
        assertThat(files).as("YAML files found").hasSizeGreaterThan(10);
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(Repo.relative(file), () -> {
                    List<JsonNode> docs = StrictYaml.documents(file);
                    assertThat(docs)
                            .as("%s has no document", Repo.relative(file))
                            .isNotEmpty();
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < docs.size(); i++) {
                        try {
                            Object typed = StrictYaml.typed(docs.get(i));
                            if (typed instanceof HasMetadata object) {
                                assertThat(object.getMetadata().getName())
                                        .as("document %d of %s has a name", i, file)
                                        .isNotBlank();
                            }
                        } catch (IllegalArgumentException e) {
                            problems.add("document " + (i + 1) + " ("
                                    + docs.get(i).path("kind").asText() + "): " + e.getMessage());
                        }
                    }
                    assertThat(problems).as(Repo.relative(file)).isEmpty();
                }));
    }

    @Test
    void aMisspeltFieldInAFabric8ModelIsAnErrorNamingIt() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                        - name: c
                          image: i
                          readOnlyRootFilesytem: true
                """;
        assertThatThrownBy(() -> StrictYaml.typedDocuments(yaml))
                .hasMessageContaining("readOnlyRootFilesytem")
                .hasMessageContaining("spec.template.spec.containers.[0]");
    }

    @Test
    void aCorrectFabric8DocumentKeepsItsValues() {
        String yaml = """
                apiVersion: v1
                kind: Service
                metadata: {name: s, namespace: n}
                spec:
                  ports: [{port: 8888, targetPort: http}]
                """;
        assertThat(StrictYaml.typedDocuments(yaml)).singleElement().isInstanceOfSatisfying(Service.class, s -> {
            assertThat(s.getSpec().getPorts().getFirst().getPort()).isEqualTo(8888);
            assertThat(s.getSpec().getPorts().getFirst().getTargetPort().getStrVal())
                    .isEqualTo("http");
        });
    }

    @Test
    void aMisspeltSchedulerConfigurationFieldIsAnError() {
        String yaml = """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                extenders:
                  - urlPrefix: http://127.0.0.1:8888/scheduler
                    nodeCachecapable: true
                """;
        assertThatThrownBy(() -> StrictYaml.typedDocuments(yaml)).hasMessageContaining("nodeCachecapable");
    }

    @Test
    void aKindWithoutATypedModelIsAnError() {
        String yaml = """
                apiVersion: example.com/v1
                kind: Gadget
                metadata:
                  name: x
                """;
        assertThatThrownBy(() -> StrictYaml.typedDocuments(yaml))
                .hasMessageContaining("no typed model for example.com/v1 Gadget");
    }
}

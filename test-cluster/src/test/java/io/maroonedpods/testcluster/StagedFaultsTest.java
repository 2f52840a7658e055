package io.maroonedpods.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

class StagedFaultsTest {

    @Test
    void aStagedErrorAnswersExactlyTheRequestsItNamesAndOnlyAsOftenAsStaged() {
        try (TestCluster cluster = TestCluster.start("team-a");
                KubernetesClient client = new KubernetesClientBuilder()
                        .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                                        cluster.client().getConfiguration())
                                .withRequestRetryBackoffLimit(0)
                                .build())
                        .build()) {
            cluster.failNext("POST", "/api/v1/namespaces/team-a/secrets", 2, 500, "etcd is unhappy");

            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> client.resource(secret("a")).create())
                        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                            assertThat(e.getCode()).isEqualTo(500);
                            assertThat(e.getMessage()).contains("etcd is unhappy");
                        });
            }
            assertThat(client.secrets().inNamespace("team-a").list().getItems())
                    .as("a GET of the path is not a POST")
                    .isEmpty();
            client.resource(secret("a")).create();
            assertThat(client.secrets().inNamespace("team-a").withName("a").get())
                    .isNotNull();
        }
    }

    private static Secret secret(String name) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("team-a")
                .endMetadata()
                .build();
    }
}

package io.maroonedpods.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What an admission refusal looks like to the client, and the two ways a Binding is posted. */
public final class Refusals {
    private Refusals() {}

    /**
     * The request is refused by the ValidatingAdmissionPolicy {@code policy}, with a 403 whose message names the reason
     * ({@code why}) — what kubectl prints to the person who tried.
     */
    public static void assertRefused(ThrowingCallable request, String policy, String why) {
        assertThatThrownBy(request).isInstanceOfSatisfying(KubernetesClientException.class, e -> {
            assertThat(e.getCode()).as(e.getMessage()).isEqualTo(403);
            assertThat(e.getMessage())
                    .contains("ValidatingAdmissionPolicy '" + policy + "'")
                    .contains(why);
        });
    }

    /** {@code POST namespaces/<ns>/bindings}, as the extender binds. */
    public static void bind(KubernetesClient as, Pod pod, String node) {
        as.bindings()
                .inNamespace(pod.getMetadata().getNamespace())
                .resource(new BindingBuilder()
                        .withNewMetadata()
                        .withName(pod.getMetadata().getName())
                        .endMetadata()
                        .withNewTarget()
                        .withKind("Node")
                        .withName(node)
                        .endTarget()
                        .build())
                .create();
    }

    /**
     * {@code POST pods/<name>/binding}, as kube-scheduler's default binder binds, with kubectl; a refusal is thrown
     * as the {@link KubernetesClientException} the API server's answer means (kubectl prints the Status message).
     */
    public static void bindThroughSubresource(ControlPlane plane, Kubeconfig as, Pod pod, String node) {
        String body = """
                {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "%s"},
                 "target": {"kind": "Node", "name": "%s"}}
                """.formatted(pod.getMetadata().getName(), node);
        try {
            Path file = Files.writeString(
                    plane.dir().resolve("binding-" + pod.getMetadata().getName() + ".json"), body);
            Kubectl.run(
                    as,
                    "create",
                    "--raw",
                    "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/"
                            + pod.getMetadata().getName() + "/binding",
                    "-f",
                    file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalStateException e) {
            int code = e.getMessage().contains("(Forbidden)") || e.getMessage().contains("forbidden") ? 403 : 0;
            throw new KubernetesClientException(e.getMessage(), code, null);
        }
    }

    /** The scheduler's FailedScheduling messages on a pod (events.k8s.io and core Events). */
    public static List<String> schedulingFailures(KubernetesClient admin, Pod pod) {
        List<String> messages = new ArrayList<>();
        String ns = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        admin.events().v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> name.equals(e.getRegarding().getName()) && "FailedScheduling".equals(e.getReason()))
                .forEach(e -> messages.add(e.getNote()));
        admin.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && "FailedScheduling".equals(e.getReason()))
                .forEach(e -> messages.add(e.getMessage()));
        return messages;
    }
}

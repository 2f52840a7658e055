package io.maroonedpods.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The real kube-scheduler with a KubeSchedulerConfiguration of the project's manifests, changed only where a
 * cluster's paths differ from this machine's: {@code clientConnection.kubeconfig} (kube-scheduler ignores its
 * {@code --kubeconfig} flag once {@code --config} is given), and whatever {@code adjust} says (an extender URL that
 * names a Service).
 */
public final class KubeScheduler {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private KubeScheduler() {}

    public static Daemon start(
            ControlPlane plane, String name, String configYaml, Kubeconfig identity, UnaryOperator<ObjectNode> adjust) {
        return start(plane, name, configYaml, identity, adjust, ControlPlane.freePort(), List.of());
    }

    /** The same on a given secure port, with more flags (a benchmark reads its /metrics). */
    public static Daemon start(
            ControlPlane plane,
            String name,
            String configYaml,
            Kubeconfig identity,
            UnaryOperator<ObjectNode> adjust,
            int securePort,
            List<String> flags) {
        try {
            ObjectNode config = (ObjectNode) YAML.readTree(configYaml);
            config.withObjectProperty("clientConnection")
                    .put("kubeconfig", identity.path().toString());
            Path file = plane.dir().resolve(name + "-config.yaml");
            Files.writeString(file, YAML.writeValueAsString(adjust.apply(config)));
            List<String> command = new ArrayList<>(List.of(
                    plane.assets().binary("kube-scheduler").toString(),
                    "--config=" + file,
                    "--bind-address=127.0.0.1",
                    "--secure-port=" + securePort));
            command.addAll(flags);
            return Daemon.start(name, command, Map.of(), plane.dir().resolve("logs/" + name + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

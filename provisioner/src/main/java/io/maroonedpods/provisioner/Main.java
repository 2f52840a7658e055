package io.maroonedpods.provisioner;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.maroonedpods.api.Names;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar maroonedpods-provisioner.jar [--NAME=value ...]}: configuration from the environment
 * ({@link ProvisionerConfig#fromEnvironment}); a flag {@code --health-port=9000} sets {@code MAROON_HEALTH_PORT}.
 * The cluster connection is fabric8's usual: in-cluster service account, else KUBECONFIG / ~/.kube/config.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        // One line per log record (java.util.logging's default spreads each over two), unless configured otherwise.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tLZ %4$s %3$s: %5$s%6$s%n");
        }
        ProvisionerConfig config;
        try {
            config = ProvisionerConfig.fromEnvironment(settings(System.getenv(), args));
        } catch (IllegalArgumentException e) {
            System.err.println("maroonedpods-provisioner: " + e.getMessage());
            System.exit(2);
            return;
        }
        Config clientConfig = Config.autoConfigure(null);
        clientConfig.setUserAgent(Names.PROVISIONER_USER_AGENT);
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(clientConfig).build();
        Provisioner provisioner;
        try {
            provisioner = Provisioner.start(config, client);
        } catch (RuntimeException e) {
            System.err.println("maroonedpods-provisioner: cannot start: " + e.getMessage());
            client.close();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            provisioner.close();
                            client.close();
                            stopped.countDown();
                        },
                        "provisioner-shutdown"));
        stopped.await();
    }

    private static final String FLAGS = ProvisionerConfig.SETTINGS.stream()
            .map(k -> "--"
                    + (k.equals("POD_NAME")
                            ? "pod-name"
                            : k.substring("MAROON_".length())
                                    .toLowerCase(Locale.ROOT)
                                    .replace('_', '-')))
            .sorted()
            .collect(java.util.stream.Collectors.joining(", "));

    /** The environment with flags laid over it: {@code --sweep-seconds=30} is {@code MAROON_SWEEP_SECONDS=30}. */
    static Map<String, String> settings(Map<String, String> env, String[] args) {
        Map<String, String> settings = new HashMap<>(env);
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException(
                        "unknown argument '" + arg + "': use --name=value, e.g. --health-port=8081");
            }
            String name = arg.substring(2, arg.indexOf('='));
            String key = name.equals("pod-name")
                    ? "POD_NAME"
                    : "MAROON_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
            if (!ProvisionerConfig.SETTINGS.contains(key)) {
                throw new IllegalArgumentException("unknown flag '--" + name + "': known are " + FLAGS);
            }
            settings.put(key, arg.substring(arg.indexOf('=') + 1));
        }
        return settings;
    }
}

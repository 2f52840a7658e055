package io.maroonedpods.extender;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.helidon.config.ConfigSources;
import io.helidon.logging.common.LogConfig;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.InvalidConfigException;
import io.maroonedpods.extender.config.EnvironmentKeys;
import io.maroonedpods.extender.config.ExtenderConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar maroonedpods-extender.jar [--port=8888] [--kubeconfig=...]}: flags are config keys under
 * {@code extender.}, as are environment variables ({@code EXTENDER_PORT}, {@code EXTENDER_GZIPMINBYTES}: see
 * {@link EnvironmentKeys}) and application.yaml; flags win, then environment, then system properties, then the file.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        LogConfig.configureRuntime();
        ExtenderConfig config;
        try {
            config = ExtenderConfig.from(io.helidon.config.Config.just(
                    ConfigSources.create(flags(args)),
                    ConfigSources.create(EnvironmentKeys.of(System.getenv())),
                    ConfigSources.systemProperties(),
                    ConfigSources.classpath("application.yaml").optional()));
        } catch (InvalidConfigException e) {
            System.err.println("maroonedpods-extender: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        KubernetesClient client = client(config);
        ExtenderServer server;
        try {
            server = ExtenderServer.start(config, client);
        } catch (IllegalStateException e) {
            System.err.println("maroonedpods-extender: cannot start: " + e.getMessage());
            client.close();
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            client.close();
                            stopped.countDown();
                        },
                        "extender-shutdown"));
        stopped.await();
    }

    /** {@code --key=value} pairs as config keys; anything else is refused so a typo does not pass silently. */
    static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 3) {
                throw new InvalidConfigException(List.of(
                        "argument " + arg + ": expected --key=value with a key of extender.* (e.g. --port=8888)"));
            }
            flags.put("extender." + arg.substring(2, eq), arg.substring(eq + 1));
        }
        return flags;
    }

    /**
     * fabric8's auto-configuration, pointed at the configured kubeconfig when there is one, so its usual environment
     * settings still apply (KUBERNETES_HTTP2_DISABLE, KUBERNETES_REQUEST_TIMEOUT, ...); our own User-Agent.
     */
    private static KubernetesClient client(ExtenderConfig config) {
        if (config.kubeconfig() != null) {
            System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, config.kubeconfig());
        }
        Config clientConfig = Config.autoConfigure(null);
        clientConfig.setUserAgent(Names.EXTENDER_USER_AGENT);
        return new KubernetesClientBuilder().withConfig(clientConfig).build();
    }
}

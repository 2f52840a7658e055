package io.maroonedpods.extender.config;

import io.helidon.config.Config;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.InvalidConfigException;
import java.util.List;

/**
 * Everything the extender is configured with, read once at start-up (keys under {@code extender.}) and validated:
 * an invalid value fails the start with a message naming the key.
 *
 * @param port            listening port; 0 picks a free one (tests, embedding)
 * @param bindAddress     127.0.0.1 for the sidecar; 0.0.0.0 when the cluster's main scheduler calls through a Service
 * @param prefix          path prefix of the scheduler verbs, e.g. {@code /scheduler} gives {@code /scheduler/filter}
 * @param schedulerName   pods naming this scheduler are maroon pods (besides {@link Names#SCHEDULER_NAME} and the label)
 * @param bodyLimitBytes  largest request body accepted; full-Nodes requests carry 3-15 KB per node
 * @param gzipMinBytes    responses at least this large are gzipped when the client accepts gzip
 * @param kubeconfig      path of a kubeconfig; null uses the in-cluster service account or ~/.kube/config
 * @param vmNamespace     namespace of the VMIs (for the "VMI phase ..." reasons)
 * @param taintKeyPrefix  prefix of the dedicated taint key ({@code <prefix>/dedicated})
 * @param allowDaemonSets let DaemonSet pods pass dedicated nodes (off: a dedicated node runs its one pod only)
 * @param tls             TLS settings; {@link Tls#NONE} serves plain HTTP
 * @param limits          what one client may hold: bodies in flight, read timeout, connections
 */
public record ExtenderConfig(
        int port,
        String bindAddress,
        String prefix,
        String schedulerName,
        long bodyLimitBytes,
        int gzipMinBytes,
        String kubeconfig,
        String vmNamespace,
        String taintKeyPrefix,
        boolean allowDaemonSets,
        Tls tls,
        ConnectionLimits limits) {

    public static final int DEFAULT_PORT = 8888;
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final String DEFAULT_PREFIX = "/scheduler";
    public static final long DEFAULT_BODY_LIMIT = 64L * 1024 * 1024;
    public static final int DEFAULT_GZIP_MIN = 8 * 1024;

    /** Every key {@link #from} reads, under {@code extender.}, spelled as it reads them. */
    public static final List<String> KEYS = List.of(
            "port",
            "bindAddress",
            "prefix",
            "schedulerName",
            "bodyLimitBytes",
            "gzipMinBytes",
            "kubeconfig",
            "vmNamespace",
            "taintKeyPrefix",
            "allowDaemonSets",
            "tls.certFile",
            "tls.keyFile",
            "tls.clientCaFile",
            "tls.allowedClientNames",
            "bodiesInFlightBytes",
            "readTimeoutSeconds",
            "maxConnections");

    /**
     * TLS of the server. With {@code clientCaFile} set, the scheduler verbs (filter, prioritize, preempt, bind) answer
     * only clients presenting a certificate signed by that CA whose identity (subject CN, or a DNS or URI subject
     * alternative name) is one of {@code allowedClientNames}; health and metrics stay open for probes.
     */
    public record Tls(String certFile, String keyFile, String clientCaFile, List<String> allowedClientNames) {
        public static final Tls NONE = new Tls(null, null, null, List.of());

        public Tls {
            allowedClientNames = allowedClientNames == null ? List.of() : List.copyOf(allowedClientNames);
        }

        public boolean enabled() {
            return certFile != null;
        }

        public boolean verifiesClients() {
            return clientCaFile != null;
        }
    }

    public ExtenderConfig {
        List<String> problems = ConfigProblems.of(
                port,
                bindAddress,
                prefix,
                schedulerName,
                bodyLimitBytes,
                gzipMinBytes,
                kubeconfig,
                vmNamespace,
                taintKeyPrefix,
                tls);
        if (limits == null) {
            problems.add("extender.limits: must not be null (use ConnectionLimits.defaults())");
        } else {
            problems.addAll(limits.problems(bodyLimitBytes));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    public static ExtenderConfig defaults() {
        return new ExtenderConfig(
                DEFAULT_PORT,
                DEFAULT_BIND_ADDRESS,
                DEFAULT_PREFIX,
                Names.SCHEDULER_NAME,
                DEFAULT_BODY_LIMIT,
                DEFAULT_GZIP_MIN,
                null,
                Names.DEFAULT_VMI_NAMESPACE,
                Names.DEFAULT_TAINT_KEY,
                false,
                Tls.NONE,
                ConnectionLimits.defaults());
    }

    /** Reads the {@code extender} node of the Helidon config; absent keys keep their default. */
    public static ExtenderConfig from(Config root) {
        Config c = root.get("extender");
        Config tls = c.get("tls");
        // Not defaults(): that is a whole config, validated, and its 64 MiB body limit does not fit the bodies in
        // flight a small heap allows, which the configured body limit may well fix.
        ConnectionLimits l = ConnectionLimits.defaults();
        return new ExtenderConfig(
                ConfigValues.integer(c, "port", DEFAULT_PORT),
                ConfigValues.text(c, "bindAddress", DEFAULT_BIND_ADDRESS),
                ConfigValues.text(c, "prefix", DEFAULT_PREFIX),
                ConfigValues.text(c, "schedulerName", Names.SCHEDULER_NAME),
                ConfigValues.longValue(c, "bodyLimitBytes", DEFAULT_BODY_LIMIT),
                ConfigValues.integer(c, "gzipMinBytes", DEFAULT_GZIP_MIN),
                ConfigValues.text(c, "kubeconfig", null),
                ConfigValues.text(c, "vmNamespace", Names.DEFAULT_VMI_NAMESPACE),
                ConfigValues.text(c, "taintKeyPrefix", Names.DEFAULT_TAINT_KEY),
                ConfigValues.bool(c, "allowDaemonSets", false),
                new Tls(
                        ConfigValues.text(tls, "certFile", null),
                        ConfigValues.text(tls, "keyFile", null),
                        ConfigValues.text(tls, "clientCaFile", null),
                        ConfigValues.names(ConfigValues.text(tls, "allowedClientNames", ""))),
                new ConnectionLimits(
                        ConfigValues.longValue(c, "bodiesInFlightBytes", l.bodiesInFlightBytes()),
                        ConfigValues.integer(c, "readTimeoutSeconds", l.readTimeoutSeconds()),
                        ConfigValues.integer(c, "maxConnections", l.maxConnections())));
    }
}

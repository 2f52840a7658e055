package io.maroonedpods.extender.config;

import io.helidon.config.Config;
import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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
    public static final List<String> KEYS = List.of("port", "bindAddress", "prefix", "schedulerName", "bodyLimitBytes",
            "gzipMinBytes", "kubeconfig", "vmNamespace", "taintKeyPrefix", "allowDaemonSets", "tls.certFile",
            "tls.keyFile", "tls.clientCaFile", "tls.allowedClientNames", "bodiesInFlightBytes", "readTimeoutSeconds",
            "maxConnections");

    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

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
        List<String> problems = problems(port, bindAddress, prefix, schedulerName, bodyLimitBytes, gzipMinBytes,
                kubeconfig, vmNamespace, taintKeyPrefix, tls);
        if (limits == null) {
            problems.add("extender.limits: must not be null (use ConnectionLimits.defaults())");
        } else {
            problems.addAll(limits.problems(bodyLimitBytes));
        }
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(problems);
        }
    }

    /** The settings before {@code limits} existed, with the default limits (the simulator builds its config so). */
    public ExtenderConfig(int port, String bindAddress, String prefix, String schedulerName, long bodyLimitBytes,
                          int gzipMinBytes, String kubeconfig, String vmNamespace, String taintKeyPrefix,
                          boolean allowDaemonSets, Tls tls) {
        this(port, bindAddress, prefix, schedulerName, bodyLimitBytes, gzipMinBytes, kubeconfig, vmNamespace,
                taintKeyPrefix, allowDaemonSets, tls, ConnectionLimits.defaults());
    }

    public static ExtenderConfig defaults() {
        return new ExtenderConfig(DEFAULT_PORT, DEFAULT_BIND_ADDRESS, DEFAULT_PREFIX, Names.SCHEDULER_NAME,
                DEFAULT_BODY_LIMIT, DEFAULT_GZIP_MIN, null, Names.DEFAULT_VMI_NAMESPACE, Names.DEFAULT_TAINT_KEY, false, Tls.NONE,
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
                integer(c, "port", DEFAULT_PORT),
                text(c, "bindAddress", DEFAULT_BIND_ADDRESS),
                text(c, "prefix", DEFAULT_PREFIX),
                text(c, "schedulerName", Names.SCHEDULER_NAME),
                longValue(c, "bodyLimitBytes", DEFAULT_BODY_LIMIT),
                integer(c, "gzipMinBytes", DEFAULT_GZIP_MIN),
                text(c, "kubeconfig", null),
                text(c, "vmNamespace", Names.DEFAULT_VMI_NAMESPACE),
                text(c, "taintKeyPrefix", Names.DEFAULT_TAINT_KEY),
                bool(c, "allowDaemonSets", false),
                new Tls(text(tls, "certFile", null), text(tls, "keyFile", null), text(tls, "clientCaFile", null),
                        names(text(tls, "allowedClientNames", ""))),
                new ConnectionLimits(longValue(c, "bodiesInFlightBytes", l.bodiesInFlightBytes()),
                        integer(c, "readTimeoutSeconds", l.readTimeoutSeconds()),
                        integer(c, "maxConnections", l.maxConnections())));
    }

    private static List<String> problems(int port, String bindAddress, String prefix, String schedulerName,
            long bodyLimitBytes, int gzipMinBytes, String kubeconfig, String vmNamespace, String taintKeyPrefix,
            Tls tls) {
        List<String> problems = new ArrayList<>();
        if (port < 0 || port > 65535) {
            problems.add("extender.port: must be 0..65535 (0 picks a free port), got " + port);
        }
        if (bindAddress == null || bindAddress.isBlank()) {
            problems.add("extender.bindAddress: must be an IP address or host name, got " + quoted(bindAddress));
        }
        if (prefix == null || !PREFIX.matcher(prefix).matches()) {
            problems.add("extender.prefix: must be empty or /segment[/segment...] without a trailing slash, got "
                    + quoted(prefix));
        }
        if (schedulerName == null || schedulerName.isBlank()) {
            problems.add("extender.schedulerName: must not be empty");
        }
        if (bodyLimitBytes < 1024 || bodyLimitBytes > Integer.MAX_VALUE - 8) {
            problems.add("extender.bodyLimitBytes: must be 1024..2147483639, got " + bodyLimitBytes);
        }
        if (gzipMinBytes < 0) {
            problems.add("extender.gzipMinBytes: must be >= 0, got " + gzipMinBytes);
        }
        if (kubeconfig != null && !Files.isReadable(Path.of(kubeconfig))) {
            problems.add("extender.kubeconfig: file not readable: " + kubeconfig);
        }
        if (vmNamespace == null || !DNS_LABEL.matcher(vmNamespace).matches()) {
            problems.add("extender.vmNamespace: must be a DNS label (a namespace name), got " + quoted(vmNamespace));
        }
        if (taintKeyPrefix == null || taintKeyPrefix.isBlank() || taintKeyPrefix.contains("/")) {
            problems.add("extender.taintKeyPrefix: must be a DNS subdomain such as maroonedpods.io, got "
                    + quoted(taintKeyPrefix));
        }
        if (tls == null) {
            problems.add("extender.tls: must not be null (use Tls.NONE)");
        } else {
            tlsProblems(tls, problems);
        }
        return problems;
    }

    private static void tlsProblems(Tls tls, List<String> problems) {
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
            problems.add("extender.tls: certFile and keyFile must be set together");
        }
        if (tls.clientCaFile() != null && tls.certFile() == null) {
            problems.add("extender.tls.clientCaFile: client certificates can be verified only with TLS on "
                    + "(set extender.tls.certFile and keyFile)");
        }
        if (tls.clientCaFile() != null && tls.allowedClientNames().isEmpty()) {
            problems.add("extender.tls.allowedClientNames: required with extender.tls.clientCaFile: the subject CN "
                    + "(or a DNS or URI SAN) of the scheduler's client certificate, e.g. system:kube-scheduler; "
                    + "without it any certificate the CA signed would pass");
        }
        if (tls.clientCaFile() == null && !tls.allowedClientNames().isEmpty()) {
            problems.add("extender.tls.allowedClientNames: needs extender.tls.clientCaFile, the CA that signs them");
        }
        readable("extender.tls.certFile", tls.certFile(), problems);
        readable("extender.tls.keyFile", tls.keyFile(), problems);
        readable("extender.tls.clientCaFile", tls.clientCaFile(), problems);
    }

    private static void readable(String key, String file, List<String> problems) {
        if (file != null && !Files.isReadable(Path.of(file))) {
            problems.add(key + ": file not readable: " + file);
        }
    }

    /** A comma-separated list, blanks dropped: {@code EXTENDER_TLS_ALLOWEDCLIENTNAMES=a,b}. */
    private static List<String> names(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }

    // Environment variables reach Helidon config lower-cased (EXTENDER_BODYLIMITBYTES -> extender.bodylimitbytes),
    // so every camelCase key is also looked up in lower case.
    private static Optional<String> raw(Config c, String key) {
        Optional<String> value = c.get(key).asString().asOptional();
        return value.isPresent() ? value : c.get(key.toLowerCase()).asString().asOptional();
    }

    private static String text(Config c, String key, String fallback) {
        return raw(c, key).map(String::trim).filter(s -> !s.isEmpty()).orElse(fallback);
    }

    private static int integer(Config c, String key, int fallback) {
        long value = longValue(c, key, fallback);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new InvalidConfigException(List.of("extender." + key + ": out of range, got " + value));
        }
        return (int) value;
    }

    private static long longValue(Config c, String key, long fallback) {
        Optional<String> value = raw(c, key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.get().trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(List.of(
                    "extender." + key + ": must be a whole number, got \"" + value.get() + "\""));
        }
    }

    private static boolean bool(Config c, String key, boolean fallback) {
        Optional<String> value = raw(c, key).map(s -> s.trim().toLowerCase());
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidConfigException(List.of(
                    "extender." + key + ": must be true or false, got \"" + value.get() + "\""));
        };
    }
}

package io.maroonedpods.extender.config;

import io.maroonedpods.extender.config.ExtenderConfig.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** What is wrong with a set of extender settings, each problem naming its key; empty when nothing is. */
final class ConfigProblems {
    private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private ConfigProblems() {}

    static List<String> of(
            int port,
            String bindAddress,
            String prefix,
            String schedulerName,
            long bodyLimitBytes,
            int gzipMinBytes,
            String kubeconfig,
            String vmNamespace,
            String taintKeyPrefix,
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

    private static String quoted(String s) {
        return s == null ? "null" : "\"" + s + "\"";
    }
}

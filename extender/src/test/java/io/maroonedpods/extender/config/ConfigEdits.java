package io.maroonedpods.extender.config;

/** A configuration with one setting changed, for tests; the rest as given (and validated again). */
public final class ConfigEdits {
    private ConfigEdits() {}

    public static ExtenderConfig port(ExtenderConfig c, int port) {
        return new ExtenderConfig(
                port,
                c.bindAddress(),
                c.prefix(),
                c.schedulerName(),
                c.bodyLimitBytes(),
                c.gzipMinBytes(),
                c.kubeconfig(),
                c.vmNamespace(),
                c.taintKeyPrefix(),
                c.allowDaemonSets(),
                c.tls(),
                c.limits());
    }

    public static ExtenderConfig tls(ExtenderConfig c, ExtenderConfig.Tls tls) {
        return new ExtenderConfig(
                c.port(),
                c.bindAddress(),
                c.prefix(),
                c.schedulerName(),
                c.bodyLimitBytes(),
                c.gzipMinBytes(),
                c.kubeconfig(),
                c.vmNamespace(),
                c.taintKeyPrefix(),
                c.allowDaemonSets(),
                tls,
                c.limits());
    }

    public static ExtenderConfig gzipMinBytes(ExtenderConfig c, int gzipMinBytes) {
        return new ExtenderConfig(
                c.port(),
                c.bindAddress(),
                c.prefix(),
                c.schedulerName(),
                c.bodyLimitBytes(),
                gzipMinBytes,
                c.kubeconfig(),
                c.vmNamespace(),
                c.taintKeyPrefix(),
                c.allowDaemonSets(),
                c.tls(),
                c.limits());
    }

    public static ExtenderConfig limits(ExtenderConfig c, ConnectionLimits limits) {
        return new ExtenderConfig(
                c.port(),
                c.bindAddress(),
                c.prefix(),
                c.schedulerName(),
                c.bodyLimitBytes(),
                c.gzipMinBytes(),
                c.kubeconfig(),
                c.vmNamespace(),
                c.taintKeyPrefix(),
                c.allowDaemonSets(),
                c.tls(),
                limits);
    }

    public static ExtenderConfig bodyLimitBytes(ExtenderConfig c, long bodyLimitBytes) {
        return new ExtenderConfig(
                c.port(),
                c.bindAddress(),
                c.prefix(),
                c.schedulerName(),
                bodyLimitBytes,
                c.gzipMinBytes(),
                c.kubeconfig(),
                c.vmNamespace(),
                c.taintKeyPrefix(),
                c.allowDaemonSets(),
                c.tls(),
                c.limits());
    }
}

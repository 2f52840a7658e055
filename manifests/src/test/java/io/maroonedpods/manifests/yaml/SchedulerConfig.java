package io.maroonedpods.manifests.yaml;

import java.util.List;

/**
 * The part of kube-scheduler's {@code kubescheduler.config.k8s.io/v1} KubeSchedulerConfiguration our files use, with
 * the field names of the Go type's json tags. fabric8 has no model for it; read strictly, a misspelt field (which
 * kube-scheduler's strict decoder would refuse at start-up) fails the test instead.
 */
public record SchedulerConfig(
        String apiVersion,
        String kind,
        ClientConnection clientConnection,
        LeaderElection leaderElection,
        Integer percentageOfNodesToScore,
        Long podInitialBackoffSeconds,
        Long podMaxBackoffSeconds,
        List<Profile> profiles,
        List<Extender> extenders) {

    public record ClientConnection(String kubeconfig) {}

    public record LeaderElection(
            Boolean leaderElect, String resourceLock, String resourceName, String resourceNamespace) {}

    public record Profile(String schedulerName, Integer percentageOfNodesToScore) {}

    public record Extender(
            String urlPrefix,
            String filterVerb,
            String preemptVerb,
            String prioritizeVerb,
            String bindVerb,
            Long weight,
            Boolean enableHTTPS,
            String httpTimeout,
            Boolean nodeCacheCapable,
            List<ManagedResource> managedResources,
            Boolean ignorable,
            TlsConfig tlsConfig) {}

    /** The extender's {@code tlsConfig} (k8s.io/kube-scheduler/config/v1 ExtenderTLSConfig). */
    public record TlsConfig(
            Boolean insecure,
            String serverName,
            String certFile,
            String keyFile,
            String caFile,
            String certData,
            String keyData,
            String caData) {}

    public record ManagedResource(String name, Boolean ignoredByScheduler) {}
}

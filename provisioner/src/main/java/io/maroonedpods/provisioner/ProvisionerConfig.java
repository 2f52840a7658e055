package io.maroonedpods.provisioner;

import io.maroonedpods.api.Names;
import io.maroonedpods.api.config.EffectiveConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How this provisioner process runs (the cluster-wide behaviour is MaroonedPodsConfig's). Immutable; checked by
 * {@link #problems()} before anything starts.
 *
 * @param systemNamespace  namespace of the leader-election Lease
 * @param leaderElection   hold the Lease {@code maroonedpods-provisioner} before reconciling (run two replicas)
 * @param leaseDuration    how long a leader's Lease lasts without renewal (failover time)
 * @param identity         this replica's name in the Lease (the pod name)
 * @param healthPort       port of /livez, /readyz and /metrics: 0 picks a free port, negative serves none
 * @param sweepInterval    how often to look for VMs, Secrets and Nodes whose pod no longer exists
 * @param reconcileThreads pods reconciled at once
 * @param podWatch         which pods to watch (see {@link PodWatch})
 * @param schedulerName    pods naming this scheduler opt in (besides {@link Names#SCHEDULER_NAME} and the label); the
 *                         extender reads the same setting ({@link Names#SCHEDULER_NAME_SETTING})
 * @param clock            time source for boot timeouts and backoff (tests pass a movable one)
 * @param allowedDaemonSets DaemonSets whose pods may run on dedicated nodes, as {@code namespace/name} or
 *                         {@code namespace/*} (none by default); any other pod there but the node's own is removed
 */
public record ProvisionerConfig(
        String systemNamespace,
        boolean leaderElection,
        Duration leaseDuration,
        String identity,
        int healthPort,
        Duration sweepInterval,
        int reconcileThreads,
        PodWatch podWatch,
        String schedulerName,
        Clock clock,
        List<String> allowedDaemonSets) {

    /**
     * None: a dedicated node runs its one pod. k3s runs flannel and kube-proxy inside the agent, so a VM node needs no
     * DaemonSet to work, and an allowance by namespace would let in whatever runs there (k3s's own svclb DaemonSet in
     * kube-system takes tolerations from a tenant's LoadBalancer Service).
     */
    public static final List<String> DEFAULT_ALLOWED_DAEMONSETS = List.of();

    public ProvisionerConfig {
        allowedDaemonSets = allowedDaemonSets == null ? List.of() : List.copyOf(allowedDaemonSets);
    }

    public static final int DEFAULT_HEALTH_PORT = 8081;

    /**
     * Production defaults: leader election on, health on 8081, field-selected pod watch. 50 reconcile threads (JOSDK's
     * own default): a reconcile spends its time waiting on API round trips, and with 10 a burst of pods queued behind
     * them while the CPU idled.
     */
    public static ProvisionerConfig defaults() {
        return new ProvisionerConfig(
                EffectiveConfig.DEFAULT_SYSTEM_NAMESPACE,
                true,
                Duration.ofSeconds(15),
                defaultIdentity(),
                DEFAULT_HEALTH_PORT,
                Duration.ofSeconds(60),
                50,
                PodWatch.SCHEDULER_NAME,
                Names.SCHEDULER_NAME,
                Clock.systemUTC(),
                DEFAULT_ALLOWED_DAEMONSETS);
    }

    /**
     * For running inside another process against fabric8's mock server (the simulator, tests): no leader election,
     * health on a free port, every pod watched (the mock cannot filter pods by field), a quick sweep.
     */
    public static ProvisionerConfig embedded() {
        return defaults().toBuilder()
                .leaderElection(false)
                .healthPort(0)
                .podWatch(PodWatch.ALL_PODS)
                .sweepInterval(Duration.ofSeconds(10))
                .build();
    }

    /** The environment variables {@link #fromEnvironment} reads; {@code Main} accepts a flag for each. */
    public static final java.util.Set<String> SETTINGS = java.util.Set.of(
            "MAROON_SYSTEM_NAMESPACE",
            "MAROON_LEADER_ELECTION",
            "MAROON_LEASE_SECONDS",
            "POD_NAME",
            "MAROON_HEALTH_PORT",
            "MAROON_SWEEP_SECONDS",
            "MAROON_RECONCILE_THREADS",
            "MAROON_POD_WATCH",
            Names.SCHEDULER_NAME_SETTING,
            "MAROON_ALLOWED_DAEMONSETS");

    /**
     * Reads {@code MAROON_SYSTEM_NAMESPACE}, {@code MAROON_LEADER_ELECTION}, {@code MAROON_LEASE_SECONDS},
     * {@code POD_NAME}, {@code MAROON_HEALTH_PORT}, {@code MAROON_SWEEP_SECONDS}, {@code MAROON_RECONCILE_THREADS},
     * {@code MAROON_POD_WATCH}, {@code MAROON_SCHEDULER_NAME}, {@code MAROON_ALLOWED_DAEMONSETS} (comma-separated); unset
     * means the default.
     *
     * @throws IllegalArgumentException naming the variable when a value cannot be parsed
     */
    public static ProvisionerConfig fromEnvironment(Map<String, String> env) {
        ProvisionerConfig d = defaults();
        return new ProvisionerConfig(
                env.getOrDefault("MAROON_SYSTEM_NAMESPACE", d.systemNamespace()),
                Boolean.parseBoolean(env.getOrDefault("MAROON_LEADER_ELECTION", "true")),
                Duration.ofSeconds(integer(
                        env, "MAROON_LEASE_SECONDS", (int) d.leaseDuration().toSeconds())),
                env.getOrDefault("POD_NAME", d.identity()),
                integer(env, "MAROON_HEALTH_PORT", d.healthPort()),
                Duration.ofSeconds(integer(
                        env, "MAROON_SWEEP_SECONDS", (int) d.sweepInterval().toSeconds())),
                integer(env, "MAROON_RECONCILE_THREADS", d.reconcileThreads()),
                env.containsKey("MAROON_POD_WATCH") ? parseWatch(env.get("MAROON_POD_WATCH")) : d.podWatch(),
                env.getOrDefault(Names.SCHEDULER_NAME_SETTING, d.schedulerName())
                        .strip(),
                d.clock(),
                env.containsKey("MAROON_ALLOWED_DAEMONSETS")
                        ? List.of(env.get("MAROON_ALLOWED_DAEMONSETS").split(",")).stream()
                                .map(String::strip)
                                .filter(p -> !p.isEmpty())
                                .toList()
                        : d.allowedDaemonSets());
    }

    /** Every invalid field, each named; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (systemNamespace == null || !systemNamespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            problems.add("systemNamespace: must be a namespace name, got '" + systemNamespace + "'");
        }
        if (leaseDuration == null || leaseDuration.compareTo(Duration.ofSeconds(3)) < 0) {
            problems.add("leaseDuration: must be at least 3 s, got " + leaseDuration);
        }
        if (identity == null || identity.isBlank()) {
            problems.add("identity: must not be empty");
        }
        if (healthPort > 65535) {
            problems.add("healthPort: must be <= 65535 (0 = any free port, negative = off), got " + healthPort);
        }
        if (sweepInterval == null || sweepInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add("sweepInterval: must be at least 1 s, got " + sweepInterval);
        }
        if (reconcileThreads < 1) {
            problems.add("reconcileThreads: must be >= 1, got " + reconcileThreads);
        }
        if (podWatch == null) {
            problems.add("podWatch: must be set");
        }
        if (schedulerName == null || !schedulerName.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
            problems.add(
                    "schedulerName: must be a scheduler name (lower-case DNS subdomain), got '" + schedulerName + "'");
        }
        if (clock == null) {
            problems.add("clock: must be set");
        }
        for (String pattern : allowedDaemonSets) {
            if (!pattern.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?/(\\*|[a-z0-9]([-a-z0-9.]*[a-z0-9])?)")) {
                problems.add("allowedDaemonSets: '" + pattern + "' must be namespace/name or namespace/*");
            }
        }
        return problems;
    }

    /** A builder starting from these values: {@code ProvisionerConfig.embedded().toBuilder().healthPort(-1).build()}. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some fields of a configuration; {@link #build()} does not validate ({@link #problems()} does). */
    public static final class Builder {
        private String systemNamespace;
        private boolean leaderElection;
        private Duration leaseDuration;
        private String identity;
        private int healthPort;
        private Duration sweepInterval;
        private int reconcileThreads;
        private PodWatch podWatch;
        private String schedulerName;
        private Clock clock;
        private List<String> allowedDaemonSets;

        private Builder(ProvisionerConfig from) {
            systemNamespace = from.systemNamespace;
            leaderElection = from.leaderElection;
            leaseDuration = from.leaseDuration;
            identity = from.identity;
            healthPort = from.healthPort;
            sweepInterval = from.sweepInterval;
            reconcileThreads = from.reconcileThreads;
            podWatch = from.podWatch;
            schedulerName = from.schedulerName;
            clock = from.clock;
            allowedDaemonSets = from.allowedDaemonSets;
        }

        public Builder systemNamespace(String value) {
            systemNamespace = value;
            return this;
        }

        public Builder leaderElection(boolean value) {
            leaderElection = value;
            return this;
        }

        public Builder leaseDuration(Duration value) {
            leaseDuration = value;
            return this;
        }

        public Builder identity(String value) {
            identity = value;
            return this;
        }

        public Builder healthPort(int value) {
            healthPort = value;
            return this;
        }

        public Builder sweepInterval(Duration value) {
            sweepInterval = value;
            return this;
        }

        public Builder reconcileThreads(int value) {
            reconcileThreads = value;
            return this;
        }

        public Builder podWatch(PodWatch value) {
            podWatch = value;
            return this;
        }

        public Builder schedulerName(String value) {
            schedulerName = value;
            return this;
        }

        public Builder clock(Clock value) {
            clock = value;
            return this;
        }

        public Builder allowedDaemonSets(List<String> value) {
            allowedDaemonSets = value;
            return this;
        }

        public ProvisionerConfig build() {
            return new ProvisionerConfig(
                    systemNamespace,
                    leaderElection,
                    leaseDuration,
                    identity,
                    healthPort,
                    sweepInterval,
                    reconcileThreads,
                    podWatch,
                    schedulerName,
                    clock,
                    allowedDaemonSets);
        }
    }

    private static String defaultIdentity() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "provisioner" : host) + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String text = env.get(name);
        try {
            return text == null ? fallback : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": must be an integer, got '" + text + "'");
        }
    }

    private static PodWatch parseWatch(String text) {
        try {
            return PodWatch.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("MAROON_POD_WATCH: " + e.getMessage());
        }
    }
}

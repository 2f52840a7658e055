package io.maroonedpods.simulator.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulator's command line, parsed and validated (pure). Every flag takes {@code --flag value} or
 * {@code --flag=value}; an error names the flag, the rule and the value given.
 */
public record Options(
        int pods,
        int nodes,
        double bootSeconds,
        int warmPool,
        double apiFaultRate,
        double vmiFailureRate,
        long seed,
        boolean gated,
        Path json,
        boolean serve,
        int timeoutSeconds,
        boolean verbose,
        boolean help,
        int provisionerReplicas,
        boolean disruptProvisioner,
        double dropWatchesSeconds,
        int warmupPods) {

    public static final String USAGE = """
            Usage: ./simulate [flags]
            Runs MaroonedPods end to end in one process: the real extender and provisioner against a simulated
            cluster (API server, KubeVirt, VM node boot, kube-scheduler). Exits non-zero if any pod is not bound,
            anything leaks, a VMI is duplicated or isolation is broken.

              --pods N              maroon pods to create (default 10)
              --nodes N             ordinary worker nodes, each running 2 ordinary pods (default 3)
              --boot-seconds S      VMI creation to Ready node, in seconds (default 2; 0 = at once)
              --warm-pool N         keep N verified spare VM nodes (warmPoolSize); pods are created once they are ready
              --warmup-pods N       first run N maroon pods through the whole flow, bind them and delete them, then
                                    measure the real burst on warm components (default 0: a cold start is measured)
              --api-fault-rate F    share of the components' API requests answered 500/409/429 (0 to <1, default 0)
              --vmi-failure-rate F  share of VMIs that fail instead of booting (0 to <1, default 0)
              --seed N              seed of every random draw (default 1); thread timing still varies
              --gated               pods carry the scheduling gate maroonedpods.io/vm-ready (the gated overlay)
              --provisioner-replicas N  provisioners to run, 1 to 3 (default 1); above 1 they elect a leader
              --disrupt-provisioner stop the (leading) provisioner once half the VMIs exist and start a new replica
              --drop-watches S      every S seconds, end all the components' watches with 410 Expired (default: never)
              --json FILE           also write the summary as JSON
              --serve               after the pods are bound, keep everything up until Ctrl-C (no teardown) and
                                    print the extender URL and a kubeconfig for kubectl
              --timeout S           seconds to wait for all pods to be bound (default 120)
              --verbose             show the components' own logs
              --help                this text
            """;

    public static Options defaults() {
        return new Options(10, 3, 2, 0, 0, 0, 1, false, null, false, 120, false, false, 1, false, 0, 0);
    }

    private static final List<String> SWITCHES =
            List.of("--help", "-h", "--gated", "--serve", "--verbose", "--disrupt-provisioner");

    /** @throws UsageException with a message naming the flag when the command line is wrong */
    public static Options parse(String... args) {
        Options o = defaults();
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            String flag = arg;
            String inline = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                flag = arg.substring(0, eq);
                inline = arg.substring(eq + 1);
            }
            if (!SWITCHES.contains(flag)) {
                o = withValue(o, arg, flag, inline, rest);
            } else if (inline != null) {
                throw new UsageException(flag + ": takes no value, got '" + inline + "'");
            } else {
                o = withSwitch(o, flag);
            }
        }
        return o;
    }

    private static Options withSwitch(Options o, String flag) {
        return switch (flag) {
            case "--gated" -> o.with(b -> b.gated = true);
            case "--serve" -> o.with(b -> b.serve = true);
            case "--verbose" -> o.with(b -> b.verbose = true);
            case "--disrupt-provisioner" -> o.with(b -> b.disruptProvisioner = true);
            default -> o.with(b -> b.help = true);
        };
    }

    /** A flag that takes a value ({@code --flag value} or {@code --flag=value}), the value taken from {@code rest}. */
    private static Options withValue(Options o, String arg, String flag, String inline, List<String> rest) {
        switch (flag) {
            case "--drop-watches" -> {
                double v = number(flag, value(flag, inline, rest), 0.1, 3600, "a number of seconds from 0.1 to 3600");
                o = o.with(b -> b.dropWatchesSeconds = v);
            }
            case "--provisioner-replicas" -> {
                String text = value(flag, inline, rest);
                int v = whole(flag, text, 1);
                if (v > 3) {
                    throw new UsageException(flag + ": must be a whole number from 1 to 3, got '" + text + "'");
                }
                o = o.with(b -> b.provisionerReplicas = v);
            }
            case "--pods" -> {
                int v = whole(flag, value(flag, inline, rest), 1);
                o = o.with(b -> b.pods = v);
            }
            case "--nodes" -> {
                int v = whole(flag, value(flag, inline, rest), 1);
                o = o.with(b -> b.nodes = v);
            }
            case "--warm-pool" -> {
                int v = whole(flag, value(flag, inline, rest), 0);
                o = o.with(b -> b.warmPool = v);
            }
            case "--warmup-pods" -> {
                int v = whole(flag, value(flag, inline, rest), 0);
                o = o.with(b -> b.warmupPods = v);
            }
            case "--timeout" -> {
                int v = whole(flag, value(flag, inline, rest), 1);
                o = o.with(b -> b.timeoutSeconds = v);
            }
            case "--boot-seconds" -> {
                double v = number(flag, value(flag, inline, rest), 0, 3600, "a number of seconds from 0 to 3600");
                o = o.with(b -> b.bootSeconds = v);
            }
            case "--api-fault-rate" -> {
                double v = rate(flag, value(flag, inline, rest));
                o = o.with(b -> b.apiFaultRate = v);
            }
            case "--vmi-failure-rate" -> {
                // Every VMI failing is a run that ends with every pod given up on, as configured.
                double v = number(flag, value(flag, inline, rest), 0, 1, "a number from 0 to 1");
                o = o.with(b -> b.vmiFailureRate = v);
            }
            case "--seed" -> {
                long v = seed(value(flag, inline, rest));
                o = o.with(b -> b.seed = v);
            }
            case "--json" -> {
                Path v = jsonFile(value(flag, inline, rest));
                o = o.with(b -> b.json = v);
            }
            default -> throw new UsageException("unknown flag '" + arg + "' (see --help)");
        }
        return o;
    }

    private static long seed(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--seed: must be a whole number, got '" + text + "'");
        }
    }

    private static Path jsonFile(String text) {
        if (text.isBlank()) {
            throw new UsageException("--json: must be a file path, got ''");
        }
        return Path.of(text);
    }

    private static String value(String flag, String inline, List<String> rest) {
        if (inline != null) {
            return inline;
        }
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new UsageException(flag + ": needs a value");
        }
        return rest.remove(0);
    }

    private static int whole(String flag, String text, int minimum) {
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= minimum) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + ": must be a whole number >= " + minimum + ", got '" + text + "'");
    }

    private static double rate(String flag, String text) {
        double v = number(flag, text, 0, 0.99, "a number from 0 to 0.99");
        return v;
    }

    private static double number(String flag, String text, double min, double max, String rule) {
        try {
            double v = Double.parseDouble(text.strip());
            if (v >= min && v <= max && !Double.isNaN(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(flag + ": must be " + rule + ", got '" + text + "'");
    }

    /** A mutable copy for one change; keeps the record's fields in one place. */
    private Options with(java.util.function.Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    private static final class Builder {
        int pods;
        int nodes;
        double bootSeconds;
        int warmPool;
        double apiFaultRate;
        double vmiFailureRate;
        long seed;
        boolean gated;
        Path json;
        boolean serve;
        int timeoutSeconds;
        boolean verbose;
        boolean help;
        int provisionerReplicas;
        boolean disruptProvisioner;
        double dropWatchesSeconds;
        int warmupPods;

        Builder(Options o) {
            pods = o.pods;
            nodes = o.nodes;
            bootSeconds = o.bootSeconds;
            warmPool = o.warmPool;
            apiFaultRate = o.apiFaultRate;
            vmiFailureRate = o.vmiFailureRate;
            seed = o.seed;
            gated = o.gated;
            json = o.json;
            serve = o.serve;
            timeoutSeconds = o.timeoutSeconds;
            verbose = o.verbose;
            help = o.help;
            provisionerReplicas = o.provisionerReplicas;
            disruptProvisioner = o.disruptProvisioner;
            dropWatchesSeconds = o.dropWatchesSeconds;
            warmupPods = o.warmupPods;
        }

        Options build() {
            return new Options(
                    pods,
                    nodes,
                    bootSeconds,
                    warmPool,
                    apiFaultRate,
                    vmiFailureRate,
                    seed,
                    gated,
                    json,
                    serve,
                    timeoutSeconds,
                    verbose,
                    help,
                    provisionerReplicas,
                    disruptProvisioner,
                    dropWatchesSeconds,
                    warmupPods);
        }
    }
}

package io.maroonedpods.e2e.bench;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.maroonedpods.e2e.support.Assets;
import io.maroonedpods.e2e.support.ControlPlane;
import io.maroonedpods.e2e.support.Daemon;
import io.maroonedpods.e2e.support.Kubectl;
import io.maroonedpods.e2e.support.Overlay;
import io.maroonedpods.e2e.support.Repo;
import io.maroonedpods.e2e.support.Shipped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The real kube-scheduler in main-scheduler mode, measured: bursts of ordinary pods onto fake Ready nodes, with no
 * extender, with ours (the main-scheduler overlay's extender, the shipped jar with its Deployment's environment, and
 * the stanza's extender entry: filter only, nodeCacheCapable, not ignorable), and with a no-op extender that passes
 * every node (bench/peer -noop, Go) as the protocol's floor; the setups alternated, several rounds. Run by
 * bench/scheduler.sh, which builds the no-op extender and writes the report into bench/RESULTS.md; skipped otherwise
 * (it is not part of the suite: its name does not end in Test).
 *
 * <p>System properties: {@code bench.noop} (the no-op extender binary, required), {@code bench.nodes} (100,1000),
 * {@code bench.pods} (3000), {@code bench.rounds} (3), {@code bench.qps} (kube-scheduler's client qps and burst, 5000),
 * {@code bench.report} (where the Markdown report goes).
 */
class MainSchedulerBench {
    private static final String STANZA = "manifests/overlays/main-scheduler/scheduler-extenders-stanza.yaml";

    @Test
    void burstsOfOrdinaryPodsWithoutAnExtenderWithOursAndWithANoOp() throws Exception {
        Optional<Assets> assets = Assets.fromEnvironment();
        String noop = System.getProperty("bench.noop");
        assumeTrue(
                assets.isPresent() && noop != null,
                "skipped: run by bench/scheduler.sh (needs " + Assets.VARIABLE + " and -Dbench.noop)");
        List<Integer> nodeCounts = Arrays.stream(
                        System.getProperty("bench.nodes", "100,1000").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        int pods = Integer.getInteger("bench.pods", 3000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        int qps = Integer.getInteger("bench.qps", 5000);
        Path report = Path.of(System.getProperty(
                "bench.report",
                Repo.root().resolve("e2e/target/bench/scheduler.md").toString()));
        String stanza = Files.readString(Repo.root().resolve(STANZA));
        Instant started = Instant.now();

        List<Burst.Result> results = new ArrayList<>();
        for (int nodes : nodeCounts) {
            results.addAll(measure(assets.get(), Path.of(noop), stanza, nodes, pods, rounds, qps));
        }
        Files.createDirectories(report.getParent());
        Files.writeString(report, BenchReport.markdown(results, pods, rounds, qps, started));
        System.out.println(Files.readString(report));
    }

    private static List<Burst.Result> measure(
            Assets assets, Path noop, String stanza, int nodes, int pods, int rounds, int qps) throws Exception {
        Path dir = Repo.root().resolve("e2e/target/bench/" + nodes + "-nodes");
        Repo.deleteRecursively(dir);
        List<Burst.Result> results = new ArrayList<>();
        try (ControlPlane plane = ControlPlane.withoutControllers(assets, dir)) {
            Kubectl.run(plane.admin(), "create", "-f", assets.vmiCrd().toString());
            FakeCluster.createNodes(plane.adminClient(), nodes);
            try (Extender ours = startOurs(plane, dir);
                    Extender floor = startNoop(plane, noop)) {
                List<Setup> setups = List.of(
                        Setup.none(),
                        new Setup(
                                "ours",
                                "MaroonedPods extender",
                                ours.url() + "/scheduler",
                                ours.url() + "/metrics",
                                ours.daemon().pid()),
                        new Setup(
                                "noop",
                                "no-op extender (Go)",
                                floor.url() + "/scheduler",
                                null,
                                floor.daemon().pid()));
                for (Setup setup : setups) {
                    // Unrecorded: every process's JIT, caches and connections warm, as in a cluster that has run.
                    Burst.run(
                            plane,
                            setup,
                            Burst.config(setup.schedulerConfig(stanza), qps),
                            nodes,
                            Math.min(pods, 1000),
                            "warm-up-" + setup.key(),
                            "-");
                }
                for (int round = 1; round <= rounds; round++) {
                    for (int i = 0; i < setups.size(); i++) {
                        // Rotated: each setup runs first, second and third in turn.
                        Setup setup = setups.get((i + round - 1) % setups.size());
                        String probe = Measures.hostProbe(Repo.root());
                        Burst.Result result = Burst.run(
                                plane,
                                setup,
                                Burst.config(setup.schedulerConfig(stanza), qps),
                                nodes,
                                pods,
                                "r" + round + "-" + setup.key(),
                                probe);
                        results.add(result);
                        System.out.printf(
                                "%d nodes, round %d, %-24s %7.1f pods/s, scheduler %d ms, extender %d ms,"
                                        + " etcd + API server %d ms of CPU; load %s, probe %s ms%n",
                                nodes,
                                round,
                                setup,
                                result.podsPerSecond(),
                                result.schedulerCpuMs(),
                                result.extenderCpuMs(),
                                result.controlPlaneCpuMs(),
                                result.load(),
                                probe);
                    }
                }
            }
        }
        return results;
    }

    /** A running extender and where it listens. */
    private record Extender(Daemon daemon, String url) implements AutoCloseable {
        @Override
        public void close() {
            daemon.close();
        }
    }

    /** The shipped jar, as the main-scheduler overlay's Deployment runs it, minus TLS; as the admin. */
    private static Extender startOurs(ControlPlane plane, Path dir) {
        Map<String, String> env = new LinkedHashMap<>();
        Overlay.of("main-scheduler")
                .env("maroonedpods-extender", "extender", "maroonedpods-extender-bench")
                .forEach((key, value) -> {
                    if (!key.startsWith("EXTENDER_TLS_")) {
                        env.put(key, value);
                    }
                });
        int port = ControlPlane.freePort();
        env.put("EXTENDER_BINDADDRESS", "127.0.0.1");
        env.put("EXTENDER_PORT", Integer.toString(port));
        Extender extender = new Extender(
                Shipped.layOut(dir).start("extender", env, plane.admin(), dir.resolve("logs/extender.log")),
                "http://127.0.0.1:" + port);
        awaitReady(extender.daemon(), extender.url() + "/readyz");
        return extender;
    }

    private static Extender startNoop(ControlPlane plane, Path noop) {
        int port = ControlPlane.freePort();
        Extender floor = new Extender(
                Daemon.start(
                        "noop-extender",
                        List.of(noop.toString(), "-noop", "-listen", "127.0.0.1:" + port),
                        Map.of(),
                        plane.dir().resolve("logs/noop-extender.log")),
                "http://127.0.0.1:" + port);
        awaitReady(floor.daemon(), floor.url() + "/livez");
        return floor;
    }

    private static void awaitReady(Daemon daemon, String url) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (Instant.now().isBefore(deadline)) {
                daemon.requireAlive();
                try {
                    if (http.send(
                                            HttpRequest.newBuilder(URI.create(url))
                                                    .timeout(Duration.ofSeconds(2))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(url + " not ready within 60 s; last lines of its log:\n" + daemon.tail(20));
    }
}

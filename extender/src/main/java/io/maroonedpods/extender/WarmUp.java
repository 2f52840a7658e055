package io.maroonedpods.extender;

import io.maroonedpods.api.Names;
import io.maroonedpods.extender.wire.ByteSink;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Runs the filter and prioritize verbs on made-up requests before the extender says it is ready, so that the first
 * real pod does not meet cold code. kube-scheduler schedules one pod at a time: the first filter of a fresh JVM took
 * more than half a second (class loading, the interpreter), and every pod in the queue waited behind it. The made-up
 * requests go through the same decode, decide and encode as real ones, with metrics of their own (not exported),
 * and read the node cache only.
 */
final class WarmUp {
    private static final Logger LOG = Logger.getLogger(WarmUp.class.getName());

    private WarmUp() {}

    static void run(SchedulerVerbs verbs, int rounds, URI livez) {
        long start = System.nanoTime();
        getLivez(livez, rounds / 10);
        byte[] maroon = args(Names.SCHEDULER_NAME);
        byte[] other = args("default-scheduler");
        try {
            for (int i = 0; i < rounds; i++) {
                for (byte[] body : new byte[][] {maroon, other}) {
                    verbs.filter(body, new ByteSink(1024));
                    verbs.prioritize(body, new ByteSink(1024));
                }
            }
            LOG.info(() -> String.format(
                    "warmed up: %d made-up filter and prioritize rounds in %d ms",
                    rounds, (System.nanoTime() - start) / 1_000_000));
        } catch (Exception e) {
            // Only speed is at stake: the extender serves either way.
            LOG.warning("warm-up stopped early: " + e);
        }
    }

    /**
     * The HTTP side: connections, request parsing and routing, on {@code /livez} (which no metric counts and no
     * client certificate guards); our own server, so its certificate is not checked.
     */
    private static void getLivez(URI livez, int times) {
        try (HttpClient http =
                HttpClient.newBuilder().sslContext(TrustingOurselves.context()).build()) {
            for (int i = 0; i < times; i++) {
                http.send(
                        HttpRequest.newBuilder(livez)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        } catch (IOException e) {
            LOG.fine("warm-up of " + livez + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A NodeNames request, as kube-scheduler sends it, for a pod of that scheduler over names no node has. */
    private static byte[] args(String schedulerName) {
        String uid = UUID.randomUUID().toString();
        return ("{\"Pod\":{\"metadata\":{\"name\":\"warm-up\",\"namespace\":\"maroonedpods-warm-up\",\"uid\":\"" + uid
                        + "\"},\"spec\":{\"schedulerName\":\"" + schedulerName + "\",\"containers\":[{\"name\":\"c\","
                        + "\"image\":\"i\"}]}},\"Nodes\":null,\"NodeNames\":[\"warm-up-1\",\"warm-up-2\",\""
                        + Names.nodeName(uid) + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}

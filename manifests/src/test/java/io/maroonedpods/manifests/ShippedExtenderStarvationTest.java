package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.api.Names;
import io.maroonedpods.testcluster.TestCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack of issue 17 on the extender as it is shipped: the built jar, in its own JVM, with the JVM options and
 * environment of the main-scheduler overlay's container (-Xmx64m, ExitOnOutOfMemoryError, the 4 MiB body limit).
 * A hundred connections each announce a 4 MiB body and send one byte; the extender must stay up and still answer the
 * scheduler's filter correctly. Before the fix twelve such connections made it allocate 48 MiB and exit.
 */
class ShippedExtenderStarvationTest {
    /** The jar the build made; {@code -Dmaroonedpods.extenderJar=...} runs the test against another build. */
    static final Path JAR = Path.of(System.getProperty(
            "maroonedpods.extenderJar",
            Repo.ROOT.resolve("extender/target/maroonedpods-extender.jar").toString()));

    static final String UID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
    static final int ATTACKERS = 100;
    static final int ANNOUNCED = 4 * 1024 * 1024;
    /** Everything here is bounded by this; how fast the answer comes is measured in bench/, not asserted. */
    static final Duration GENEROUS = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    TestCluster api;
    Process extender;
    int port;
    final List<Socket> attackers = new ArrayList<>();

    @BeforeEach
    void startTheShippedExtender() throws Exception {
        assertThat(JAR)
                .as("the extender jar: ./mvnw verify builds it before this module (a test dependency)")
                .exists();
        api = TestCluster.start();
        KubernetesClient client = api.client();
        client.nodes()
                .resource(new NodeBuilder()
                        .withNewMetadata()
                        .withName(Names.nodeName(UID))
                        .addToLabels(Names.VERIFIED_POD_UID_LABEL, UID)
                        .endMetadata()
                        .withNewStatus()
                        .addNewCondition()
                        .withType("Ready")
                        .withStatus("True")
                        .endCondition()
                        .endStatus()
                        .build())
                .create();
        Path kubeconfig = Files.writeString(
                dir.resolve("kubeconfig"), kubeconfig(client.getConfiguration().getMasterUrl()));
        port = freePort();

        Container shipped = ExtenderJvmTest.SERVICE;
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(SchedulerWiringTest.env(shipped, "JAVA_OPTS").split(" ")));
        command.addAll(List.of(
                "-jar", JAR.toString(), "--port=" + port, "--bindAddress=127.0.0.1", "--kubeconfig=" + kubeconfig));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("extender.log").toFile());
        builder.environment().putAll(shippedEnvironment(shipped));
        extender = builder.start();
        awaitReady();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket attacker : attackers) {
            attacker.close();
        }
        if (extender != null) {
            extender.destroy();
            if (!extender.waitFor(10, TimeUnit.SECONDS)) {
                extender.destroyForcibly();
            }
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void hundredConnectionsAnnouncingFourMebibytesAndSendingOneByteLeaveTheShippedExtenderAnswering() throws Exception {
        // The scheduler's calls come to a warm extender: one before the attack, so the figure below is the attack's.
        assertThat(filter().statusCode()).isEqualTo(200);
        for (int i = 0; i < ATTACKERS; i++) {
            Socket attacker = new Socket("127.0.0.1", port);
            attacker.getOutputStream()
                    .write(("POST /scheduler/filter HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + ANNOUNCED + "\r\n\r\n{")
                            .getBytes(StandardCharsets.US_ASCII));
            attackers.add(attacker);
        }
        long started = System.nanoTime();
        HttpResponse<String> answer;
        try {
            answer = filter();
        } catch (IOException e) {
            throw new AssertionError(
                    "the filter got no answer (extender alive: " + extender.isAlive() + "); its log:\n" + log(), e);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        // The figure for bench/RESULTS.md ("the extender under the starvation attack").
        System.out.printf(
                "ShippedExtenderStarvationTest: %d attackers holding, filter answered %d in %d ms%n",
                ATTACKERS, answer.statusCode(), millis);

        assertThat(extender.isAlive())
                .as("the extender is still running; its log:%n%s", log())
                .isTrue();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(answer.body()).path("NodeNames").toString())
                .isEqualTo("[\"" + Names.nodeName(UID) + "\"]");
        assertThat(metric("extender_request_body_bytes_in_flight"))
                .as("one 8 KiB chunk per attacker at most")
                .isLessThanOrEqualTo(ATTACKERS * 8 * 1024);
    }

    /** The container's environment as the kubelet gives it, less the listen address and TLS files of the cluster. */
    static Map<String, String> shippedEnvironment(Container container) {
        Map<String, String> environment = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            String name = variable.getName();
            if (variable.getValue() != null
                    && !name.equals("JAVA_OPTS")
                    && !name.startsWith("EXTENDER_TLS_")
                    && !name.equals("EXTENDER_BINDADDRESS")
                    && !name.equals("EXTENDER_PORT")) {
                environment.put(name, variable.getValue());
            }
        }
        assertThat(environment).containsKey("EXTENDER_BODYLIMITBYTES");
        return environment;
    }

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(GENEROUS).build();

    private HttpResponse<String> filter() throws IOException, InterruptedException {
        String pod = "{\"metadata\":{\"name\":\"web\",\"namespace\":\"team-a\",\"uid\":\"" + UID + "\","
                + "\"labels\":{\"" + Names.OPT_IN_LABEL + "\":\"true\"}},\"spec\":{\"containers\":[{\"name\":\"web\","
                + "\"image\":\"nginx\"}]}}";
        String body =
                "{\"Pod\":" + pod + ",\"Nodes\":null,\"NodeNames\":[\"worker-1\",\"" + Names.nodeName(UID) + "\"]}";
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/scheduler/filter"))
                        .timeout(GENEROUS)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private long metric(String name) throws IOException, InterruptedException {
        String page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(GENEROUS)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return page.lines()
                .filter(line -> line.startsWith(name + " "))
                .mapToLong(line -> (long)
                        Double.parseDouble(line.substring(name.length() + 1).trim()))
                .findFirst()
                .orElseThrow();
    }

    private void awaitReady() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(extender.isAlive())
                    .as("the extender exited at start; its log:%n%s", log())
                    .isTrue();
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the extender was not ready within 60 s; its log:\n" + log());
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("extender.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String kubeconfig(String server) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: test
                  cluster:
                    server: %s
                users:
                - name: test
                  user:
                    token: test-only
                contexts:
                - name: test
                  context:
                    cluster: test
                    user: test
                current-context: test
                """.formatted(server);
    }
}

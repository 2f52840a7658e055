package io.maroonedpods.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service image's entry point, run by bash: component launch (with a stub java) and the loopback probe. */
class ServiceImageTest {
    static final Path SCRIPT = Repo.SERVICE_IMAGE.resolve("maroonedpods.sh");
    static final Path CONTAINERFILE = Repo.SERVICE_IMAGE.resolve("Containerfile");

    @TempDir
    Path tmp;

    HttpServer server;

    @BeforeEach
    void startHealthServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/livez", exchange -> {
            // Like Helidon 4, which refuses anything but HTTP/1.1.
            exchange.sendResponseHeaders("HTTP/1.1".equals(exchange.getProtocol()) ? 200 : 505, -1);
            exchange.close();
        });
        server.createContext("/readyz", exchange -> {
            byte[] body = "not ready".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopHealthServer() {
        server.stop(0);
    }

    @Test
    void scriptPassesShellcheck() {
        Result r = run(Map.of(), List.of("shellcheck", SCRIPT.toString()));
        assertThat(r.exit()).as("shellcheck: %s", r.out()).isZero();
    }

    @Test
    void probeSucceedsOnA2xxAnswer() {
        Result r = script(Map.of(), "probe", port(), "/livez");
        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void probeFailsOnANon2xxAnswerAndSaysWhatItGot() {
        Result r = script(Map.of(), "probe", port(), "/readyz");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("GET /readyz", "503");
    }

    @Test
    void probeFailsWhenNothingListens() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Result r = script(Map.of(), "probe", String.valueOf(closed), "/livez");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("nothing listens on 127.0.0.1:" + closed);
    }

    @Test
    void probeRefusesBadArguments() {
        assertThat(script(Map.of(), "probe", "http", "/livez").exit()).isEqualTo(64);
        assertThat(script(Map.of(), "probe", port(), "livez").exit()).isEqualTo(64);
        assertThat(script(Map.of(), "sidecar").exit()).isEqualTo(64);
    }

    @Test
    void extenderStartsItsMainClassWithTheJarAndLibsAndJavaOpts() throws IOException {
        Path home = install("extender");
        Result r = script(
                Map.of("MAROONEDPODS_HOME", home.toString(), "JAVA_OPTS", "-Xmx64m -Dx=y", "PATH", stubJava()),
                "extender",
                "--flag");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out().strip())
                .isEqualTo("java -Xmx64m -Dx=y -cp " + home + "/extender/maroonedpods-extender.jar:" + home
                        + "/extender/libs/* io.maroonedpods.extender.Main --flag");
    }

    @Test
    void provisionerStartsWithContainerAwareDefaultsWithoutJavaOpts() throws IOException {
        Path home = install("provisioner");
        Result r = script(Map.of("MAROONEDPODS_HOME", home.toString(), "PATH", stubJava()), "provisioner");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out())
                .contains(
                        "-XX:MaxRAMPercentage=75",
                        "io.maroonedpods.provisioner.Main",
                        home + "/provisioner/maroonedpods-provisioner.jar");
    }

    @Test
    void aMissingJarIsAClearError() throws IOException {
        Path home = install("provisioner");
        Result r = script(Map.of("MAROONEDPODS_HOME", home.toString(), "PATH", stubJava()), "extender");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("maroonedpods-extender.jar is missing");
    }

    @Test
    void containerfileInstallsTheEntryPointTheProbesCallAndRunsAsNonRoot() throws IOException {
        String containerfile = Files.readString(CONTAINERFILE);
        Container sidecar = SchedulerWiringTest.container(
                Kustomize.find(Repo.SECONDARY, Deployment.class, "maroon-scheduler"), "extender");
        String entryPoint = sidecar.getLivenessProbe().getExec().getCommand().getFirst();
        assertThat(containerfile)
                .contains("COPY images/services/maroonedpods.sh " + entryPoint, "ENTRYPOINT [\"" + entryPoint + "\"]");
        assertThat(sidecar.getLivenessProbe().getExec().getCommand())
                .containsExactly(entryPoint, "probe", SchedulerWiringTest.env(sidecar, "EXTENDER_PORT"), "/livez");
        assertThat(containerfile).containsPattern("(?m)^USER [1-9][0-9]*:[1-9][0-9]*$");
        assertThat(containerfile).containsPattern("(?m)^FROM \\S+-jre\\S*$");
        assertThat(containerfile).contains("./mvnw", "maroonedpods-$c.jar");
    }

    @Test
    void buildContextKeepsEveryMavenModule() throws IOException {
        String pom = Files.readString(Repo.ROOT.resolve("pom.xml"));
        List<String> modules = java.util.regex.Pattern.compile("<module>([^<]+)</module>")
                .matcher(pom)
                .results()
                .map(m -> m.group(1))
                .toList();
        assertThat(modules).contains("api", "extender", "provisioner", "manifests");
        List<String> ignored = Files.readAllLines(Repo.ROOT.resolve(".dockerignore")).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        for (String module : modules) {
            assertThat(ignored)
                    .as("module %s must stay in the image build context", module)
                    .noneMatch(
                            pattern -> pattern.equals(module) || pattern.equals(module + "/") || pattern.equals("*"));
        }
    }

    private String port() {
        return String.valueOf(server.getAddress().getPort());
    }

    private Path install(String component) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("home").resolve(component));
        Files.writeString(dir.resolve("maroonedpods-" + component + ".jar"), "");
        return tmp.resolve("home");
    }

    /** A PATH whose java prints its command line instead of starting a JVM. */
    private String stubJava() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\necho \"java $*\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin + ":/usr/bin:/bin";
    }

    private Result script(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return run(env, command);
    }

    record Result(int exit, String out) {}

    private static Result run(Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("%s finished", command)
                    .isTrue();
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command + " (is " + command.getFirst() + " installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

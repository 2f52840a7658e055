package io.maroonedpods.e2e.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** What the benchmark reads off running processes: their CPU time, their Prometheus metrics, the host's speed. */
final class Measures {
    /** Linux's USER_HZ: /proc/&lt;pid&gt;/stat counts CPU time in these ticks (100 a second on every usual kernel). */
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private Measures() {}

    /** User + system CPU time of a process so far, all its threads, in milliseconds; 0 for no process. */
    static long cpuMillis(long pid) {
        if (pid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // The command name (field 2) may hold spaces: count fields from after its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException("CPU time of process " + pid, e);
        }
    }

    /**
     * The sum and the count of a Prometheus histogram over every series whose labels contain {@code labelPart}
     * ({@code ""} for all): {@code [sum, count]}.
     */
    static double[] histogram(String metricsText, String name, String labelPart) {
        double[] sumAndCount = new double[2];
        for (String line : metricsText.split("\n")) {
            boolean sum = line.startsWith(name + "_sum");
            boolean count = line.startsWith(name + "_count");
            if ((sum || count) && line.contains(labelPart)) {
                sumAndCount[sum ? 0 : 1] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sumAndCount;
    }

    /** GET of a metrics endpoint over plain HTTP. */
    static String scrape(String url) {
        return scrape(url, null);
    }

    /** GET of a metrics endpoint; over HTTPS, its certificate checked against {@code tls}. */
    static String scrape(String url, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        try (HttpClient http = (tls == null ? builder : builder.sslContext(tls)).build()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("scraping " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** bench/host-probe.sh: the CPU time of a fixed loop, in ms (about 24 when the host gives this VM a full CPU). */
    static String hostProbe(Path repo) {
        try {
            Process probe = new ProcessBuilder("bash", "-c", ". bench/host-probe.sh && host_probe")
                    .directory(repo.toFile())
                    .redirectErrorStream(true)
                    .start();
            return new String(probe.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** The 1-minute load average. */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static long ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(getconf.getInputStream().readAllBytes()).trim());
        } catch (IOException | NumberFormatException e) {
            return 100;
        }
    }
}

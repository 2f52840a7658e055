package io.maroonedpods.simulator.cli;

import io.maroonedpods.simulator.Simulation;
import io.maroonedpods.simulator.report.Summary;
import io.maroonedpods.simulator.report.SummaryJson;
import io.maroonedpods.simulator.report.SummaryText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code ./simulate}: parse the flags, run the simulation, print the timeline and summary, exit 0 only when all is well. */
public final class Main {
    static final int OK = 0;
    static final int RUN_FAILED = 1;
    static final int USAGE = 2;
    static final int CRASHED = 3;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK || !Options.parse(args).serve()) {
            System.exit(code);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            err.println("simulate: " + e.getMessage());
            return USAGE;
        }
        if (options.help()) {
            out.print(Options.USAGE);
            return OK;
        }
        Path log;
        try {
            log = Logging.configure(options.verbose());
        } catch (IOException e) {
            err.println("simulate: cannot create the log file: " + e.getMessage());
            return CRASHED;
        }
        Simulation simulation = new Simulation(options, err);
        try {
            err.println("starting the simulated cluster, the extender and the provisioner...");
            simulation.start();
            simulation.awaitBound();
            simulation.checkIsolation();
            if (options.serve()) {
                serve(simulation, options, out);
                return OK;
            }
            List<String> orphans = simulation.teardown();
            Summary summary = simulation.summary(orphans);
            out.print(SummaryText.render(summary));
            mentionLog(log, out);
            if (options.json() != null) {
                SummaryJson.write(summary, options.json());
            }
            return summary.problems().isEmpty() ? OK : RUN_FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("simulate: the simulation could not run: " + e);
            mentionLog(log, err);
            return CRASHED;
        } finally {
            if (!options.serve()) {
                simulation.close();
            }
        }
    }

    /** Prints the summary and the access lines, then keeps everything up until the process is interrupted. */
    private static void serve(Simulation simulation, Options options, PrintStream out) throws IOException {
        Summary summary = simulation.summary(null);
        out.print(SummaryText.render(summary));
        if (options.json() != null) {
            SummaryJson.write(summary, options.json());
        }
        Path kubeconfig =
                simulation.api().writeKubeconfig(Files.createTempFile("maroonedpods-simulator-", ".kubeconfig"));
        out.println();
        out.println("extender: " + simulation.extenderUrl());
        out.println("kubeconfig: " + kubeconfig);
        out.println("serving until interrupted (Ctrl-C); try: kubectl --kubeconfig " + kubeconfig
                + " get --raw /api/v1/nodes");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            simulation.close();
                            try {
                                Files.deleteIfExists(kubeconfig);
                            } catch (IOException e) {
                                // the temp file stays behind: harmless
                            }
                            stopped.countDown();
                        },
                        "simulator-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void mentionLog(Path log, PrintStream out) {
        try {
            if (log != null && Files.size(log) > 0) {
                out.println("  component warnings were logged to " + log);
            } else if (log != null) {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            // only a hint
        }
    }
}

package io.maroonedpods.simulator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.simulator.scheduler.ExtenderClient;
import io.maroonedpods.simulator.scheduler.ManifestSchedulerConfig;
import io.maroonedpods.simulator.scheduler.SchedulerCaches;
import io.maroonedpods.simulator.scheduler.SchedulerDriver;
import io.maroonedpods.simulator.scheduler.SchedulerProfile;
import io.maroonedpods.simulator.scheduler.SchedulingRecord;
import java.time.Clock;
import java.util.List;

/**
 * The run's kube-scheduler: the maroon-scheduler profile as the manifests configure it (calling the real extender) and
 * the default scheduler's stand-in, on one pair of informers as the profiles of one kube-scheduler share theirs.
 */
final class SimulatedSchedulers implements AutoCloseable {
    private final SchedulerProfile maroonProfile;
    private final List<AutoCloseable> parts;

    private SimulatedSchedulers(SchedulerProfile maroonProfile, List<AutoCloseable> parts) {
        this.maroonProfile = maroonProfile;
        this.parts = parts;
    }

    static SimulatedSchedulers start(
            KubernetesClient client, int extenderPort, Clock clock, long seed, SchedulingRecord maroonRecord) {
        SchedulerProfile profile = ManifestSchedulerConfig.maroonProfile();
        ExtenderClient extender = new ExtenderClient("http://127.0.0.1:" + extenderPort, profile.extender());
        SchedulerCaches caches = SchedulerCaches.start(client);
        SchedulerDriver maroon =
                new SchedulerDriver(client, caches, profile, extender, clock, seed, maroonRecord).start();
        SchedulerDriver ordinary = new SchedulerDriver(
                        client,
                        caches,
                        SchedulerProfile.defaultScheduler(),
                        null,
                        clock,
                        seed + 1,
                        new SchedulingRecord())
                .start();
        return new SimulatedSchedulers(profile, List.of(ordinary, maroon, caches));
    }

    SchedulerProfile maroonProfile() {
        return maroonProfile;
    }

    @Override
    public void close() {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                // Best effort: one part failing to stop must not keep the others running.
            }
        }
    }
}

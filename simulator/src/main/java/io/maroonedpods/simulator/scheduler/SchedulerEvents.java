package io.maroonedpods.simulator.scheduler;

import io.fabric8.kubernetes.api.model.MicroTimeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Writes the scheduler's events.k8s.io/v1 Events on a pod, as kube-scheduler does; a failed write is only logged. */
final class SchedulerEvents {
    private static final Logger LOG = Logger.getLogger(SchedulerEvents.class.getName());
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_NOTE = 1024;

    enum Reason {
        Scheduled,
        FailedScheduling
    }

    private final KubernetesClient client;
    private final String controller;
    private final Clock clock;

    SchedulerEvents(KubernetesClient client, String controller, Clock clock) {
        this.client = client;
        this.controller = controller;
        this.clock = clock;
    }

    void publish(Pod pod, Reason reason, String note) {
        String type = reason == Reason.FailedScheduling ? "Warning" : "Normal";
        String text = note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE - 3) + "..." : note;
        try {
            client.resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(pod.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                            .withNamespace(pod.getMetadata().getNamespace())
                            .endMetadata()
                            .withEventTime(new MicroTimeBuilder()
                                    .withTime(MICRO_TIME.format(clock.instant()))
                                    .build())
                            .withReportingController(controller)
                            .withReportingInstance(controller + "-simulator")
                            .withAction(reason == Reason.Scheduled ? "Binding" : "Scheduling")
                            .withReason(reason.name())
                            .withType(type)
                            .withNote(text)
                            .withNewRegarding()
                            .withApiVersion("v1")
                            .withKind("Pod")
                            .withName(pod.getMetadata().getName())
                            .withNamespace(pod.getMetadata().getNamespace())
                            .withUid(pod.getMetadata().getUid())
                            .endRegarding()
                            .build())
                    .create();
        } catch (RuntimeException e) {
            LOG.log(
                    Level.FINE,
                    "could not record event " + reason + " on "
                            + pod.getMetadata().getName(),
                    e);
        }
    }
}

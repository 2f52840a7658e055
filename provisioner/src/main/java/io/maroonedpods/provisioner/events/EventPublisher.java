package io.maroonedpods.provisioner.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.maroonedpods.provisioner.apply.Apply;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code events.k8s.io/v1} Events (fabric8 7.5 has no EventRecorder). The same occurrence — same object, reason
 * and note — gets the same Event name, so a reconcile that runs again does not flood {@code kubectl describe}; it is
 * recorded once. Publishing never throws: an Event is worth less than the reconcile that wanted to write it. Nor does it
 * wait: the Event is built at once (its time is the occurrence's) and written by a few sender threads, so a reconcile
 * does not spend an API round trip on it before its next step.
 */
public final class EventPublisher implements AutoCloseable {
    public static final String CONTROLLER = "maroonedpods.io/provisioner";
    static final int MAX_NOTE_BYTES = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX");
    private static final int REMEMBERED = 4096;
    private static final int SENDERS = 4;

    private final KubernetesClient client;
    private final Apply apply;
    private final Clock clock;
    private final String instance;
    private final Set<String> published = Collections.newSetFromMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    private final Executor send;

    public EventPublisher(KubernetesClient client, Clock clock, String instance) {
        this(client, clock, instance, Executors.newFixedThreadPool(SENDERS, r -> {
            Thread thread = new Thread(r, "maroon-events");
            thread.setDaemon(true);
            return thread;
        }));
    }

    /** With {@code Runnable::run}, each Event is written on the calling thread (tests that read Events at once). */
    EventPublisher(KubernetesClient client, Clock clock, String instance, Executor send) {
        this.client = client;
        this.apply = new Apply(client);
        this.clock = clock;
        this.instance = instance;
        this.send = send;
    }

    public void publish(HasMetadata regarding, Reason reason, String note) {
        publish(reference(regarding), reason, note, null);
    }

    /** Publishes an Event about {@code regarding} (which may already be deleted), optionally naming a related object. */
    public void publish(ObjectReference regarding, Reason reason, String note, ObjectReference related) {
        String safeNote = truncate(note);
        String name = eventName(regarding, reason, safeNote);
        synchronized (published) {
            if (!published.add(name)) {
                return;
            }
        }
        String now = MICRO_TIME.format(clock.instant().atOffset(ZoneOffset.UTC));
        Event event = new EventBuilder()
                .withMetadata(new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace(namespaceOf(regarding))
                        .build())
                .withEventTime(new MicroTime(now))
                .withReportingController(CONTROLLER)
                .withReportingInstance(instance)
                .withAction(reason.action())
                .withReason(reason.name())
                .withType(reason.type().name())
                .withNote(safeNote)
                .withRegarding(regarding)
                .withRelated(related)
                .build();
        try {
            send.execute(() -> write(event));
        } catch (RejectedExecutionException e) {
            LOG.debug("event {} {} not recorded: the publisher is closed", reason, regarding.getName());
        }
    }

    private void write(Event event) {
        try {
            // Create only: the provisioner may not read Events, and one that exists is the same occurrence (409).
            apply.createUnread(
                    client.events()
                            .v1()
                            .events()
                            .inNamespace(event.getMetadata().getNamespace())
                            .resource(event),
                    event,
                    false);
        } catch (RuntimeException e) {
            // Already recorded by an earlier process (409) or the API is unhappy: either way not worth failing for.
            LOG.debug(
                    "event {} {} not recorded: {}",
                    event.getReason(),
                    event.getRegarding().getName(),
                    e.getMessage());
        }
    }

    /** Lets the Events already published go out (for a moment), then stops the senders. */
    @Override
    public void close() {
        if (!(send instanceof ExecutorService senders)) {
            return;
        }
        senders.shutdown();
        try {
            senders.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static ObjectReference reference(HasMetadata object) {
        return new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withName(object.getMetadata().getName())
                .withNamespace(object.getMetadata().getNamespace())
                .withUid(object.getMetadata().getUid())
                .build();
    }

    /** Notes are limited to 1 KiB by the API server; cut on a character boundary. */
    static String truncate(String note) {
        byte[] bytes = note.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_NOTE_BYTES) {
            return note;
        }
        String cut = new String(bytes, 0, MAX_NOTE_BYTES - 3, StandardCharsets.UTF_8);
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_NOTE_BYTES - 3 || cut.endsWith("\uFFFD")) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "...";
    }

    private static String namespaceOf(ObjectReference regarding) {
        return regarding.getNamespace() == null || regarding.getNamespace().isEmpty()
                ? "default"
                : regarding.getNamespace();
    }

    static String eventName(ObjectReference regarding, Reason reason, String note) {
        String base = regarding.getName().length() > 200
                ? regarding.getName().substring(0, 200).replaceAll("[^a-z0-9]+$", "")
                : regarding.getName();
        return base + "." + hash(regarding.getUid() + "|" + reason + "|" + note);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}

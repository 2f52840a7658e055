package io.maroonedpods.extender.bind;

import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.maroonedpods.extender.wire.ExtenderBindingArgs;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The {@code Bound} Event on a pod the extender bound: what {@code kubectl describe pod} shows as the last step. */
public final class BoundEvent {
    public static final String REASON = "Bound";
    public static final String CONTROLLER = "maroonedpods.io/extender";
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX").withZone(ZoneOffset.UTC);

    private BoundEvent() {}

    public static Event of(ExtenderBindingArgs args, Instant now, String instance) {
        return new EventBuilder()
                .withNewMetadata()
                .withName(args.podName() + "." + Long.toHexString(now.toEpochMilli()) + ".bound")
                .withNamespace(args.podNamespace())
                .endMetadata()
                .withNewRegarding()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(args.podNamespace())
                .withName(args.podName())
                .withUid(args.podUid())
                .endRegarding()
                .withNewRelated()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(args.node())
                .endRelated()
                .withReason(REASON)
                .withAction("Bind")
                .withType("Normal")
                .withNote("bound to its verified VM node " + args.node() + ", where it runs alone")
                .withReportingController(CONTROLLER)
                .withReportingInstance(instance)
                .withEventTime(new MicroTime(MICRO_TIME.format(now)))
                .build();
    }
}

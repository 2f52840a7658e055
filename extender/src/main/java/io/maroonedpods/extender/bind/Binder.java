package io.maroonedpods.extender.bind;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.maroonedpods.extender.bind.BindOutcome.Kind;
import io.maroonedpods.extender.wire.ExtenderBindingArgs;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Binds a maroon pod to its verified node. Pod and node are read from the API server, not from a cache, because a
 * bind is the moment isolation is decided. The Binding carries the pod UID as a precondition, so a pod recreated under
 * the same name in between is never bound by mistake. Safe to call concurrently.
 */
public final class Binder {
    private static final Logger LOG = Logger.getLogger(Binder.class.getName());

    private final KubernetesClient client;
    private final String schedulerName;
    private final String instance = hostname();

    public Binder(KubernetesClient client, String schedulerName) {
        this.client = client;
        this.schedulerName = schedulerName;
    }

    public BindOutcome bind(ExtenderBindingArgs args) {
        Pod pod;
        Node node;
        try {
            pod = client.pods()
                    .inNamespace(args.podNamespace())
                    .withName(args.podName())
                    .get();
            node = client.nodes().withName(args.node()).get();
        } catch (KubernetesClientException e) {
            return apiError("reading pod " + args.podRef() + " and node " + args.node(), e);
        }
        BindVerdict verdict = BindDecision.decide(args, pod, node, schedulerName);
        return switch (verdict.action()) {
            case ALREADY_BOUND -> logged(args, new BindOutcome(Kind.ALREADY_BOUND, ""));
            case REFUSE -> logged(args, new BindOutcome(Kind.REFUSED, verdict.reason()));
            case BIND -> createBinding(args, node);
        };
    }

    private BindOutcome createBinding(ExtenderBindingArgs args, Node node) {
        Binding binding = new BindingBuilder()
                .withNewMetadata()
                .withName(args.podName())
                .withNamespace(args.podNamespace())
                .withUid(args.podUid())
                .endMetadata()
                .withNewTarget()
                .withApiVersion("v1")
                .withKind("Node")
                .withName(args.node())
                .endTarget()
                .build();
        try {
            client.bindings().inNamespace(args.podNamespace()).resource(binding).create();
            publishBound(args);
            return logged(args, new BindOutcome(Kind.BOUND, ""));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return afterConflict(args, node, e);
            }
            if (e.getCode() == 404) {
                return logged(args, new BindOutcome(Kind.REFUSED, "pod " + args.podRef() + " not found"));
            }
            return apiError("creating the Binding of pod " + args.podRef(), e);
        }
    }

    /**
     * 409: another bind won (a scheduler retry after a timeout), or the UID precondition failed. Whatever the pod
     * looks like now decides: already on this node is success, anything else is refused with the reason.
     */
    private BindOutcome afterConflict(ExtenderBindingArgs args, Node node, KubernetesClientException conflict) {
        Pod now;
        try {
            now = client.pods()
                    .inNamespace(args.podNamespace())
                    .withName(args.podName())
                    .get();
        } catch (KubernetesClientException e) {
            return apiError("re-reading pod " + args.podRef() + " after a conflict", e);
        }
        BindVerdict verdict = BindDecision.decide(args, now, node, schedulerName);
        return switch (verdict.action()) {
            case ALREADY_BOUND -> logged(args, new BindOutcome(Kind.ALREADY_BOUND, ""));
            case REFUSE -> logged(args, new BindOutcome(Kind.REFUSED, verdict.reason()));
            case BIND ->
                logged(
                        args,
                        new BindOutcome(
                                Kind.REFUSED,
                                "conflict binding pod " + args.podRef() + ": " + statusMessage(conflict)));
        };
    }

    /** Off the bind path: the scheduler waits for our answer, and an Event is worth less than a bind. */
    private void publishBound(ExtenderBindingArgs args) {
        Thread.ofVirtual().name("bound-event").start(() -> {
            try {
                client.resources(Event.class)
                        .inNamespace(args.podNamespace())
                        .resource(BoundEvent.of(args, Instant.now(), instance))
                        .create();
            } catch (KubernetesClientException e) {
                LOG.fine(() -> "could not record the Bound event of pod " + args.podRef() + ": " + e.getCode());
            }
        });
    }

    private static String hostname() {
        String name = System.getenv("HOSTNAME");
        return name == null || name.isBlank() ? "maroonedpods-extender" : name;
    }

    private BindOutcome apiError(String doing, KubernetesClientException e) {
        BindOutcome outcome = new BindOutcome(Kind.API_ERROR, "API error " + doing + ": " + statusMessage(e));
        LOG.warning(outcome.error());
        return outcome;
    }

    private static String statusMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getCode() + " " + e.getStatus().getMessage();
        }
        return e.getCode() == 0 ? String.valueOf(e.getMessage()) : e.getCode() + " " + e.getMessage();
    }

    private static BindOutcome logged(ExtenderBindingArgs args, BindOutcome outcome) {
        LOG.info(() -> "bind pod " + args.podRef() + " uid " + args.podUid() + " to node " + args.node() + ": "
                + outcome.kind().label() + (outcome.error().isEmpty() ? "" : " (" + outcome.error() + ")"));
        return outcome;
    }
}

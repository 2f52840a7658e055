package io.maroonedpods.testcluster.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.maroonedpods.testcluster.store.ServedResources.Resource;
import io.maroonedpods.testcluster.store.ServedResources.Subresource;
import java.util.List;

/**
 * The built-in resources the simulated API server serves: those the flow, kubectl and the simulator use, each with
 * its scope, subresources and the field selectors kube-apiserver supports for it (from its field label conversion in
 * {@code pkg/apis/core/v1/conversion.go} / {@code pkg/apis/events/v1/conversion.go} and its
 * {@code ...ToSelectableFields} in {@code pkg/registry/.../strategy.go}). Anything else of the core and named groups is
 * not served (404), as on a cluster where it does not exist. Custom resources come from CRDs created in the server.
 */
final class BuiltinResources {
    static final String CRD_GROUP = "apiextensions.k8s.io";
    static final String CRDS = "customresourcedefinitions";

    private BuiltinResources() {}

    static List<Resource> all() {
        return List.of(
                core("pods", "Pod", true, podFields(), List.of("po"), podSubresources()),
                bindings(),
                core("nodes", "Node", false, nodeFields(), List.of("no"), List.of(Subresource.status("Node"))),
                core(
                        "namespaces",
                        "Namespace",
                        false,
                        namespaceFields(),
                        List.of("ns"),
                        List.of(Subresource.status("Namespace"))),
                core("secrets", "Secret", true, secretFields(), List.of(), List.of()),
                core("configmaps", "ConfigMap", true, SelectableFields.metadataOnly(true), List.of("cm"), List.of()),
                core("events", "Event", true, coreEventFields(), List.of("ev"), List.of()),
                named("events.k8s.io", "events", "Event", true, eventsV1Fields(), List.of("ev"), List.of()),
                named(
                        "coordination.k8s.io",
                        "leases",
                        "Lease",
                        true,
                        SelectableFields.metadataOnly(true),
                        List.of(),
                        List.of()),
                named(
                        CRD_GROUP,
                        CRDS,
                        "CustomResourceDefinition",
                        false,
                        SelectableFields.metadataOnly(false),
                        List.of("crd", "crds"),
                        List.of(Subresource.status("CustomResourceDefinition"))));
    }

    private static List<Subresource> podSubresources() {
        return List.of(
                Subresource.status("Pod"),
                new Subresource("binding", "Binding", List.of("create")),
                new Subresource("eviction", "Eviction", List.of("create")));
    }

    /** kube-apiserver serves the older bindings collection with create only; the pod's name is the Binding's. */
    private static Resource bindings() {
        return new Resource(
                "",
                "v1",
                "bindings",
                "Binding",
                true,
                List.of(),
                List.of(),
                List.of("create"),
                SelectableFields.metadataOnly(true),
                "v1");
    }

    private static SelectableFields nodeFields() {
        return SelectableFields.metadata(false, true)
                .with("spec.unschedulable", o -> SelectableFields.textOr(o, "spec.unschedulable", "false"));
    }

    /** status.phase: the namespace strategy sets Active at creation. */
    private static SelectableFields namespaceFields() {
        return SelectableFields.metadata(false, true)
                .with("status.phase", o -> SelectableFields.textOr(o, "status.phase", "Active"));
    }

    /** type: defaulted to Opaque. */
    private static SelectableFields secretFields() {
        return SelectableFields.metadata(true, true).with("type", o -> SelectableFields.textOr(o, "type", "Opaque"));
    }

    private static Resource core(
            String plural,
            String kind,
            boolean namespaced,
            SelectableFields fields,
            List<String> shortNames,
            List<Subresource> subresources) {
        return new Resource(
                "", "v1", plural, kind, namespaced, shortNames, subresources, Resource.ALL_VERBS, fields, "v1");
    }

    private static Resource named(
            String group,
            String plural,
            String kind,
            boolean namespaced,
            SelectableFields fields,
            List<String> shortNames,
            List<Subresource> subresources) {
        return new Resource(
                group, "v1", plural, kind, namespaced, shortNames, subresources, Resource.ALL_VERBS, fields, "v1");
    }

    /**
     * Pods: the values as kube-apiserver has them after defaulting and admission, which the simulated server does not
     * apply to the stored object: restartPolicy Always, schedulerName default-scheduler, the ServiceAccount admission's
     * "default" account, hostNetwork false, phase Pending; status.podIP is the first of status.podIPs. The conversion
     * also accepts status.podIPs (not in the field set: it selects as empty) and the old spec.host for spec.nodeName.
     */
    private static SelectableFields podFields() {
        return SelectableFields.metadata(true, true)
                .with("spec.nodeName", o -> SelectableFields.text(o, "spec.nodeName"))
                .with("spec.restartPolicy", o -> SelectableFields.textOr(o, "spec.restartPolicy", "Always"))
                .with("spec.schedulerName", o -> SelectableFields.textOr(o, "spec.schedulerName", "default-scheduler"))
                .with("spec.serviceAccountName", o -> SelectableFields.textOr(o, "spec.serviceAccountName", "default"))
                .with("spec.hostNetwork", o -> SelectableFields.textOr(o, "spec.hostNetwork", "false"))
                .with("status.phase", o -> SelectableFields.textOr(o, "status.phase", "Pending"))
                .with("status.podIP", BuiltinResources::podIp)
                .with("status.podIPs", o -> "")
                .with("status.nominatedNodeName", o -> SelectableFields.text(o, "status.nominatedNodeName"))
                .alias("spec.host", "spec.nodeName");
    }

    private static String podIp(JsonNode pod) {
        JsonNode first = pod.path("status").path("podIPs").path(0).path("ip");
        return first.isTextual() ? first.asText() : SelectableFields.text(pod, "status.podIP");
    }

    /** The core Event's fields, which events.k8s.io/v1 shares under other names. */
    private static final List<String> INVOLVED_OBJECT =
            List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath");

    /** core/v1 Events: involvedObject.*, reason, reportingComponent, source (the component, else the reporter), type. */
    private static SelectableFields coreEventFields() {
        SelectableFields fields = SelectableFields.metadata(true, true);
        for (String field : INVOLVED_OBJECT) {
            fields = fields.with("involvedObject." + field, o -> SelectableFields.text(o, "involvedObject." + field));
        }
        return fields.with("reason", o -> SelectableFields.text(o, "reason"))
                .with("reportingComponent", o -> SelectableFields.text(o, "reportingComponent"))
                .with(
                        "source",
                        o -> SelectableFields.textOr(
                                o, "source.component", SelectableFields.text(o, "reportingComponent")))
                .with("type", o -> SelectableFields.text(o, "type"));
    }

    /**
     * events.k8s.io/v1 Events: the same field set (kube-apiserver stores them as core Events), named by the v1 labels:
     * regarding.* for involvedObject.*, reportingController for reportingComponent; the core labels are refused.
     */
    private static SelectableFields eventsV1Fields() {
        SelectableFields fields = SelectableFields.metadata(true, true);
        for (String field : INVOLVED_OBJECT) {
            fields = fields.alias("regarding." + field, "involvedObject." + field)
                    .withValue("involvedObject." + field, o -> SelectableFields.text(o, "regarding." + field));
        }
        return fields.alias("reportingController", "reportingComponent")
                .withValue("reportingComponent", o -> SelectableFields.text(o, "reportingController"))
                .with("reason", o -> SelectableFields.text(o, "reason"))
                .with(
                        "source",
                        o -> SelectableFields.textOr(
                                o, "deprecatedSource.component", SelectableFields.text(o, "reportingController")))
                .with("type", o -> SelectableFields.text(o, "type"));
    }
}

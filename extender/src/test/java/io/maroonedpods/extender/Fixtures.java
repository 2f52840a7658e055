package io.maroonedpods.extender;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.maroonedpods.api.Names;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Request bodies written by hand from kube-scheduler's Go types (k8s.io/kube-scheduler/extender/v1 and core/v1):
 * capitalised extender fields, both Nodes and NodeNames always present (one null), embedded objects without
 * apiVersion/kind, Nodes with managedFields, images and the capitalised daemonEndpoints.kubeletEndpoint.Port.
 */
public final class Fixtures {
    public static final String UID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";
    public static final String OTHER_UID = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    public static final String OWN_NODE = Names.nodeName(UID);
    public static final String OTHER_NODE = Names.nodeName(OTHER_UID);

    private Fixtures() {}

    /** A Pod as the scheduler embeds it; {@code schedulerName} null leaves the field out. */
    public static String podJson(String uid, String schedulerName, Map<String, String> labels) {
        return """
                {"metadata":{"name":"web","namespace":"team-a","uid":"%s","resourceVersion":"4711",
                  "creationTimestamp":"2026-11-25T07:00:00Z","labels":%s,
                  "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},
                 "spec":{%s"containers":[{"name":"web","image":"nginx:1.27",
                    "resources":{"requests":{"cpu":"100m","memory":"64Mi"}},"imagePullPolicy":"IfNotPresent"}],
                  "tolerations":[{"key":"maroonedpods.io/dedicated","operator":"Equal","value":"%s","effect":"NoSchedule"},
                    {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
                  "restartPolicy":"Always","priority":0,"enableServiceLinks":true,"preemptionPolicy":"PreemptLowerPriority"},
                 "status":{"phase":"Pending","qosClass":"Burstable"}}""".formatted(
                uid, json(labels), schedulerName == null ? "" : "\"schedulerName\":\"" + schedulerName + "\",", uid);
    }

    public static String maroonPodJson() {
        return podJson(UID, Names.SCHEDULER_NAME, Map.of("app", "web"));
    }

    public static String ordinaryPodJson() {
        return podJson(OTHER_UID, "default-scheduler", Map.of("app", "web"));
    }

    /** A full Node as kube-scheduler sends it (not a NodeNames request). */
    public static String nodeJson(
            String name, Map<String, String> labels, String taintKey, boolean ready, boolean unschedulable) {
        String taints =
                taintKey == null ? "[]" : "[{\"key\":\"" + taintKey + "\",\"value\":\"x\",\"effect\":\"NoSchedule\"}]";
        return """
                {"metadata":{"name":"%1$s","uid":"3c4d5e6f-0000-4000-8000-00000000000a","resourceVersion":"815",
                  "creationTimestamp":"2026-11-25T06:00:00Z","labels":%2$s,
                  "annotations":{"k3s.io/node-args":"[\\"agent\\"]","node.alpha.kubernetes.io/ttl":"0"},
                  "managedFields":[{"manager":"k3s","operation":"Update","apiVersion":"v1",
                    "time":"2026-11-25T06:00:00Z","fieldsType":"FieldsV1",
                    "fieldsV1":{"f:metadata":{"f:labels":{".":{},"f:kubernetes.io/hostname":{}}},
                      "f:status":{"f:conditions":{"k:{\\"type\\":\\"Ready\\"}":{"f:status":{}}}}}}]},
                 "spec":{"podCIDR":"10.42.1.0/24","podCIDRs":["10.42.1.0/24"],"providerID":"k3s://%1$s",
                  "taints":%3$s,"unschedulable":%5$s},
                 "status":{"capacity":{"cpu":"2","memory":"4010200Ki","pods":"110"},
                  "allocatable":{"cpu":"2","memory":"4010200Ki","pods":"110"},
                  "conditions":[{"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory",
                      "lastHeartbeatTime":"2026-11-25T07:00:00Z","lastTransitionTime":"2026-11-25T06:00:00Z"},
                    {"type":"Ready","status":"%4$s","reason":"KubeletReady","message":"kubelet is posting ready status",
                      "lastHeartbeatTime":"2026-11-25T07:00:00Z","lastTransitionTime":"2026-11-25T06:00:00Z"}],
                  "addresses":[{"type":"InternalIP","address":"10.0.0.5"},{"type":"Hostname","address":"%1$s"}],
                  "daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
                  "nodeInfo":{"machineID":"a1","systemUUID":"b2","bootID":"c3","kernelVersion":"6.12.0",
                    "osImage":"CentOS Stream 10","containerRuntimeVersion":"containerd://2.0.5-k3s1",
                    "kubeletVersion":"v1.32.5+k3s1","kubeProxyVersion":"v1.32.5+k3s1","operatingSystem":"linux",
                    "architecture":"amd64"},
                  "images":[{"names":["docker.io/rancher/mirrored-pause@sha256:74c4244427b7312c5b901fe0f67cbc53683d06f4f24c6faee65d4182bf0fa893",
                      "docker.io/rancher/mirrored-pause:3.6"],"sizeBytes":301463},
                    {"names":["docker.io/library/nginx:1.27"],"sizeBytes":72000000}]}}""".formatted(name, json(labels), taints, ready ? "True" : "False", unschedulable);
    }

    public static String ordinaryNodeJson(String name) {
        return nodeJson(name, Map.of("kubernetes.io/hostname", name), null, true, false);
    }

    public static String verifiedNodeJson(String name, String uid, boolean ready) {
        return nodeJson(
                name,
                Map.of(Names.VERIFIED_POD_UID_LABEL, uid, Names.POD_UID_LABEL, uid),
                Names.DEDICATED_TAINT,
                ready,
                false);
    }

    public static String namesArgs(String podJson, List<String> names) {
        return "{\"Pod\":" + podJson + ",\"Nodes\":null,\"NodeNames\":"
                + names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(",", "[", "]")) + "}";
    }

    public static String nodesArgs(String podJson, List<String> nodeJsons) {
        return "{\"Pod\":" + podJson + ",\"Nodes\":{\"metadata\":{\"resourceVersion\":\"\"},\"items\":"
                + String.join(",", List.of("[" + String.join(",", nodeJsons) + "]")) + "},\"NodeNames\":null}";
    }

    public static String bindArgs(String name, String uid, String node) {
        return "{\"PodName\":\"" + name + "\",\"PodNamespace\":\"team-a\",\"PodUID\":\"" + uid + "\",\"Node\":\"" + node
                + "\"}";
    }

    /** A Node for the API server (what our informers and the binder read). */
    public static Node apiNode(String name, Map<String, String> labels, boolean ready) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .endStatus()
                .build();
    }

    public static Node verifiedApiNode(String name, String uid) {
        return apiNode(name, Map.of(Names.VERIFIED_POD_UID_LABEL, uid, Names.POD_UID_LABEL, uid), true);
    }

    public static Pod apiPod(String name, String uid, String schedulerName) {
        return new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("team-a")
                .withUid(uid)
                .endMetadata()
                .withNewSpec()
                .withSchedulerName(schedulerName)
                .addNewContainer()
                .withName("web")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .build();
    }

    private static String json(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}

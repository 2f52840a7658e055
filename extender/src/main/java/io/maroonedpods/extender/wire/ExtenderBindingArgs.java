package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.regex.Pattern;

/** kube-scheduler's {@code ExtenderBindingArgs{PodName, PodNamespace, PodUID, Node}}. */
public record ExtenderBindingArgs(
        @JsonProperty("PodName") String podName,
        @JsonProperty("PodNamespace") String podNamespace,
        @JsonProperty("PodUID") String podUid,
        @JsonProperty("Node") String node) {

    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    /**
     * Every field is required and names must be Kubernetes object names: a bind that does not say which pod, which
     * UID or which node, or that smuggles a path into a name, is refused as bad input before any API call.
     */
    public ExtenderBindingArgs validated() {
        require("PodName", podName);
        require("PodNamespace", podNamespace);
        require("PodUID", podUid);
        require("Node", node);
        objectName("PodName", podName);
        objectName("PodNamespace", podNamespace);
        objectName("Node", node);
        if (podUid.length() > 128) {
            throw new BadRequestException("PodUID: longer than 128 characters");
        }
        return this;
    }

    private static void objectName(String field, String value) {
        if (!OBJECT_NAME.matcher(value).matches()) {
            throw new BadRequestException(field + ": not a valid Kubernetes object name (lower-case DNS subdomain, "
                    + "at most 253 characters)");
        }
    }

    public String podRef() {
        return podNamespace + "/" + podName;
    }

    private static void require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new BadRequestException(field + ": required (got null or empty)");
        }
    }
}

package io.maroonedpods.api;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.Map;

/**
 * The labels and taint a VM node registers itself with, derived from its join info. The boot script in node-image
 * renders exactly these into the k3s agent config (a test runs the script and compares), the simulator registers its
 * nodes with them, and the provisioner expects them when it verifies a node.
 */
public final class NodeIdentity {
    private NodeIdentity() {
    }

    /** {@code maroonedpods.io/pod-uid=<uid>}, or {@code maroonedpods.io/pool=true} for a pool node. */
    public static Map<String, String> selfLabels(JoinInfo join) {
        return join.isPoolNode() ? Map.of(Names.POOL_LABEL, "true") : Map.of(Names.NODE_POD_UID_LABEL, join.podUid());
    }

    /** {@code <taint_key>/dedicated=<uid>:NoSchedule}, or {@code =pool} for a pool node. */
    public static Taint registrationTaint(JoinInfo join) {
        String value = join.isPoolNode() ? Names.POOL_TAINT_VALUE : join.podUid();
        return new Taint("NoSchedule", Names.dedicatedTaintKey(join.taintKey()), null, value);
    }
}

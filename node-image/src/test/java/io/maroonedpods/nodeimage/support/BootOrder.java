package io.maroonedpods.nodeimage.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The order a node's boot must keep, judged from the units' recorded timestamps: cloud-final finished (cloud-init wrote
 * the join info and ran every stage) before marooned-node-boot started, and marooned-node-boot finished before
 * k3s-agent started; each of them ran successfully.
 */
public final class BootOrder {
    public static final String CLOUD_FINAL = "cloud-final.service";
    public static final String BOOT = NodeUnits.BOOT;
    public static final String K3S = NodeUnits.K3S;
    private static final List<String> SEQUENCE = List.of(CLOUD_FINAL, BOOT, K3S);

    private BootOrder() {}

    /** Every way this boot broke the order; empty when it kept it. */
    public static List<String> violations(Map<String, UnitState> units) {
        List<String> violations = new ArrayList<>();
        for (String unit : SEQUENCE) {
            UnitState state = units.get(unit);
            if (state == null || !state.ranSuccessfully()) {
                violations.add(unit + " did not run successfully: " + state);
            }
        }
        if (!violations.isEmpty()) {
            return violations;
        }
        for (int i = 1; i < SEQUENCE.size(); i++) {
            UnitState earlier = units.get(SEQUENCE.get(i - 1));
            UnitState later = units.get(SEQUENCE.get(i));
            if (later.startedAt() < earlier.activeAt()) {
                violations.add(later.id() + " started at " + later.startedAt() + " us, before " + earlier.id()
                        + " finished at " + earlier.activeAt() + " us");
            }
        }
        return violations;
    }
}

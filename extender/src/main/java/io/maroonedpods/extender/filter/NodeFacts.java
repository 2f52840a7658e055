package io.maroonedpods.extender.filter;

import io.maroonedpods.api.Names;

/**
 * The facts about one node that decide filtering, taken from a Node object (sent by the scheduler or held by our
 * informer). Extracted once per node so decisions never walk whole Node objects.
 *
 * @param name           metadata.name
 * @param verifiedPodUid the restricted label set by the provisioner after verification; the only one trusted
 * @param selfPodUid     the label the node set on itself at registration (never trusted alone)
 * @param pool           a warm-pool node (label)
 * @param dedicatedTaint carries the dedicated taint
 * @param ready          condition Ready is True
 * @param unschedulable  spec.unschedulable (cordoned)
 * @param deleting       metadata.deletionTimestamp is set
 */
public record NodeFacts(
        String name,
        String verifiedPodUid,
        String selfPodUid,
        boolean pool,
        boolean dedicatedTaint,
        boolean ready,
        boolean unschedulable,
        boolean deleting) {

    /** True for every node that belongs to MaroonedPods, verified or not: such a node never runs other pods. */
    public boolean dedicated() {
        return verifiedPodUid != null || selfPodUid != null || pool || dedicatedTaint || Names.isMaroonNodeName(name);
    }

    public boolean verifiedFor(String podUid) {
        return podUid != null && podUid.equals(verifiedPodUid);
    }
}

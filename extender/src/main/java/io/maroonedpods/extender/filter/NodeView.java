package io.maroonedpods.extender.filter;

/** What our informers know, as the pure decisions see it. */
public interface NodeView {

    /** Facts of a dedicated node by name; null when the node is not one of ours (or not known yet). */
    NodeFacts dedicatedNode(String name);

    /**
     * False only when no dedicated node has a name of this {@link NameHash}: then {@link #dedicatedNode} would answer
     * null, and the caller need not decode the name to ask. True may be a false alarm.
     */
    default boolean mayHoldNode(int nameHash) {
        return true;
    }

    /**
     * False when every dedicated node the view holds is named {@code maroon-…} (as the provisioner names them): then a
     * candidate without that prefix is surely not one, and need not even be hashed. True when a node of another name
     * carries our labels (a node that labelled itself, say), or when the view cannot tell.
     */
    default boolean holdsNodesNamedOtherwise() {
        return true;
    }

    /** The VMI that carries the pod's node, or null when there is none. */
    VmiState vmiOf(String podUid);
}

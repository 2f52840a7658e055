package io.maroonedpods.extender.filter;

import io.maroonedpods.api.Names;

/**
 * The nodes of one request, by position. Full-Nodes requests carry facts for every node; NodeNames requests carry
 * names only, and facts come from our informer, which knows dedicated nodes only.
 */
public interface CandidateNodes {

    int size();

    String name(int index);

    /** Facts of the node, or null when nothing is known about it (NodeNames mode: not a dedicated node we cache). */
    NodeFacts facts(int index);

    /** True when the node belongs to MaroonedPods; a node we have no facts about counts by its name alone. */
    default boolean dedicated(int index) {
        NodeFacts facts = facts(index);
        return facts != null ? facts.dedicated() : maroonNodeName(index);
    }

    /** {@link Names#isMaroonNodeName} of the name (implementations may answer without decoding it). */
    default boolean maroonNodeName(int index) {
        return Names.isMaroonNodeName(name(index));
    }
}

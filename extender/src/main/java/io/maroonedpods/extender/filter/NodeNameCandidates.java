package io.maroonedpods.extender.filter;

import io.maroonedpods.api.Names;
import java.util.List;

/**
 * The candidates of a NodeNames request (nodeCacheCapable): names only; facts come from the informer view, which
 * holds dedicated nodes only, so a name it does not know is an ordinary node. No per-request copy of the cache, and
 * no String for a name the view surely does not hold. When the view holds only {@code maroon-…} names (the usual
 * case), a candidate without the prefix is settled by its first bytes: an ordinary pod's 5,000 candidates are then
 * neither hashed nor looked up.
 */
public final class NodeNameCandidates implements CandidateNodes {
    private final CandidateNames names;
    private final NodeView view;
    /** Read once per request: a node cached while the request is answered may or may not count, as with any race. */
    private final boolean nodesNamedOtherwise;

    public NodeNameCandidates(CandidateNames names, NodeView view) {
        this.names = names;
        this.view = view;
        this.nodesNamedOtherwise = view.holdsNodesNamedOtherwise();
    }

    public NodeNameCandidates(List<String> names, NodeView view) {
        this(CandidateNames.of(names), view);
    }

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public String name(int index) {
        return names.name(index);
    }

    @Override
    public NodeFacts facts(int index) {
        if (!nodesNamedOtherwise && !maroonNodeName(index)) {
            return null;
        }
        return view.mayHoldNode(names.hash(index)) ? view.dedicatedNode(names.name(index)) : null;
    }

    @Override
    public boolean maroonNodeName(int index) {
        return names.startsWith(index, Names.NODE_PREFIX);
    }
}

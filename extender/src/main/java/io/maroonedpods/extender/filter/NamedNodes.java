package io.maroonedpods.extender.filter;

import io.maroonedpods.api.Names;
import java.util.List;

/**
 * The candidates of a NodeNames request (nodeCacheCapable): names only; facts come from the informer view, which
 * holds dedicated nodes only, so a name it does not know is an ordinary node. No per-request copy of the cache, and
 * no String for a name the view surely does not hold.
 */
public record NamedNodes(NodeNames names, NodeView view) implements Candidates {

    public NamedNodes(List<String> names, NodeView view) {
        this(NodeNames.of(names), view);
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
        return view.mayHoldNode(names.hash(index)) ? view.dedicatedNode(names.name(index)) : null;
    }

    @Override
    public boolean maroonNodeName(int index) {
        return names.startsWith(index, Names.NODE_PREFIX);
    }
}

package io.maroonedpods.extender.filter;

import java.util.List;

/**
 * The candidates of a NodeNames request (nodeCacheCapable): names only; facts come from the informer view, which
 * holds dedicated nodes only, so a name it does not know is an ordinary node. No per-request copy of the cache.
 */
public record NamedNodes(List<String> names, NodeView view) implements Candidates {

    @Override
    public int size() {
        return names.size();
    }

    @Override
    public String name(int index) {
        return names.get(index);
    }

    @Override
    public NodeFacts facts(int index) {
        return view.dedicatedNode(names.get(index));
    }
}

package io.maroonedpods.extender.wire;

import io.maroonedpods.extender.filter.CandidateNodes;
import io.maroonedpods.extender.filter.NodeFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * The Node objects of a full-Nodes request: their facts, and where each one lies in the request body, so a passing
 * node is answered with exactly the bytes the scheduler sent (nothing lost, nothing re-encoded).
 */
public final class FullNodeCandidates implements CandidateNodes {
    private final byte[] body;
    private final List<NodeFacts> facts = new ArrayList<>();
    private int[] starts = new int[16];
    private int[] ends = new int[16];

    FullNodeCandidates(byte[] body) {
        this.body = body;
    }

    void add(NodeFacts node, int start, int end) {
        int index = facts.size();
        if (index == starts.length) {
            starts = java.util.Arrays.copyOf(starts, index * 2);
            ends = java.util.Arrays.copyOf(ends, index * 2);
        }
        starts[index] = start;
        ends[index] = end;
        facts.add(node);
    }

    @Override
    public int size() {
        return facts.size();
    }

    @Override
    public String name(int index) {
        return facts.get(index).name();
    }

    @Override
    public NodeFacts facts(int index) {
        return facts.get(index);
    }

    /** The node's JSON exactly as sent. */
    public RawJson raw(int index) {
        return new RawJson(body, starts[index], ends[index] - starts[index]);
    }
}

package io.maroonedpods.extender.filter;

/**
 * The verdict on every candidate of a request, by position: null means the node passes, otherwise the reason it is
 * rejected. Reasons are shared String instances, so a 5,000-node verdict holds 5,000 references, not 5,000 strings.
 */
public final class FilterDecision {
    private final String[] rejections;
    private final int passed;

    FilterDecision(String[] rejections) {
        this.rejections = rejections;
        int count = 0;
        for (String reason : rejections) {
            if (reason == null) {
                count++;
            }
        }
        this.passed = count;
    }

    public int size() {
        return rejections.length;
    }

    public boolean passes(int index) {
        return rejections[index] == null;
    }

    /** The reason candidate {@code index} was rejected, null when it passes. */
    public String rejection(int index) {
        return rejections[index];
    }

    public int passedCount() {
        return passed;
    }
}

package io.maroonedpods.extender.filter;

/** Scores: the pod's verified dedicated node 10, every other node 0 (kube-scheduler's extender scale is 0..10). */
public final class Prioritize {
    public static final int DEDICATED_SCORE = 10;

    private Prioritize() {}

    public static int[] scores(PodBeingScheduled pod, CandidateNodes candidates) {
        int[] scores = new int[candidates.size()];
        if (!pod.maroon() || pod.uid() == null) {
            return scores;
        }
        for (int i = 0; i < scores.length; i++) {
            NodeFacts facts = candidates.facts(i);
            if (facts != null && facts.verifiedFor(pod.uid())) {
                scores[i] = DEDICATED_SCORE;
            }
        }
        return scores;
    }
}

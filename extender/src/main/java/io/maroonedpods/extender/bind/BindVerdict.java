package io.maroonedpods.extender.bind;

/**
 * What to do with a bind request.
 *
 * @param action what to do
 * @param reason why it is refused (for {@link Action#REFUSE}), said to the scheduler in {@code Error}
 */
public record BindVerdict(Action action, String reason) {

    public enum Action {
        /** Create the Binding. */
        BIND,
        /** The pod is already on the requested node (a retried bind): report success. */
        ALREADY_BOUND,
        /** Do not bind; the scheduler backs off and tries again. */
        REFUSE
    }

    static final BindVerdict BIND = new BindVerdict(Action.BIND, null);
    static final BindVerdict ALREADY_BOUND = new BindVerdict(Action.ALREADY_BOUND, null);

    static BindVerdict refuse(String reason) {
        return new BindVerdict(Action.REFUSE, reason);
    }
}

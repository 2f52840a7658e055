package io.maroonedpods.extender.bind;

/** How a bind request ended, as counted in the metrics; {@code error} is empty on success. */
public record BindOutcome(Kind kind, String error) {

    public enum Kind {
        BOUND,
        ALREADY_BOUND,
        REFUSED,
        API_ERROR;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

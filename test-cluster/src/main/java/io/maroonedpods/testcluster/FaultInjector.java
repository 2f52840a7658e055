package io.maroonedpods.testcluster;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Injects API errors into the components' requests at a configured rate, so that the extender and the provisioner
 * meet what a busy API server answers: 500 InternalError, 429 TooManyRequests and, for updates (PUT, PATCH), 409
 * Conflict. A real API server answers 409 to a create only when the object exists and to a delete only on a failed
 * precondition, so those would not be faults but lies; creates, deletes and reads get 500 or 429.
 */
public final class FaultInjector {

    public enum Fault {
        INTERNAL_ERROR(500, "InternalError", "simulated fault: internal error"),
        CONFLICT(
                409,
                "Conflict",
                "simulated fault: the object has been modified; please apply your changes to the latest version and try again"),
        TOO_MANY_REQUESTS(429, "TooManyRequests", "simulated fault: too many requests, please try again later");

        public final int code;
        public final String reason;
        public final String message;

        Fault(int code, String reason, String message) {
            this.code = code;
            this.reason = reason;
            this.message = message;
        }
    }

    private static final List<Fault> ANY_REQUEST_FAULTS = List.of(Fault.INTERNAL_ERROR, Fault.TOO_MANY_REQUESTS);
    private static final List<Fault> UPDATE_FAULTS =
            List.of(Fault.INTERNAL_ERROR, Fault.CONFLICT, Fault.TOO_MANY_REQUESTS);

    private final double rate;
    private final Random random;
    private final AtomicLong injected = new AtomicLong();
    private volatile boolean enabled;

    public FaultInjector(double rate, long seed) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("fault rate must be between 0 and 1, got " + rate);
        }
        this.rate = rate;
        this.random = new Random(seed);
    }

    /** Faults start only once the components are up, so that their start-up (informer sync) is not what is tested. */
    public void enable() {
        enabled = true;
    }

    public void disable() {
        enabled = false;
    }

    public long injected() {
        return injected.get();
    }

    /** Draws whether this request fails, and how. */
    public Optional<Fault> draw(String method) {
        if (!enabled || rate == 0) {
            return Optional.empty();
        }
        double roll;
        int pick;
        synchronized (random) {
            roll = random.nextDouble();
            pick = random.nextInt(6);
        }
        Optional<Fault> fault = choose(method, rate, roll, pick);
        fault.ifPresent(f -> injected.incrementAndGet());
        return fault;
    }

    /** The pure decision: fail when {@code roll < rate}; only updates (PUT, PATCH) may get a 409. */
    static Optional<Fault> choose(String method, double rate, double roll, int pick) {
        if (roll >= rate) {
            return Optional.empty();
        }
        List<Fault> faults = "PUT".equals(method) || "PATCH".equals(method) ? UPDATE_FAULTS : ANY_REQUEST_FAULTS;
        return Optional.of(faults.get(pick % faults.size()));
    }
}

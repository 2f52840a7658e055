package io.maroonedpods.testcluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Errors a test stages for particular requests (the next {@code times} requests with this method and exact path, no
 * query): what a test needs to meet one failure where it matters, where {@link FaultInjector} draws them at random.
 */
public final class StagedFaults {
    private final List<Staged> staged = new CopyOnWriteArrayList<>();

    private record Staged(String method, String path, int code, String message, AtomicInteger left) {}

    /** One staged answer: the code, its Status reason and the message. */
    public record Answer(int code, String reason, String message) {}

    void stage(String method, String path, int times, int code, String message) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        staged.add(new Staged(method, path, code, message, new AtomicInteger(times)));
    }

    /** The answer staged for this request, counting it off, or empty. */
    Optional<Answer> take(String method, String path) {
        for (Staged s : staged) {
            if (s.method().equals(method) && s.path().equals(path) && s.left().getAndDecrement() > 0) {
                return Optional.of(new Answer(s.code(), reason(s.code()), s.message()));
            }
        }
        return Optional.empty();
    }

    private static String reason(int code) {
        return switch (code) {
            case 409 -> "Conflict";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            case 504 -> "Timeout";
            default -> "InternalError";
        };
    }
}

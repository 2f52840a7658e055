package io.maroonedpods.extender;

import io.helidon.common.mapper.MapperManager;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Helidon 4.2 reads every request's Content-Length as a number through {@code MapperManager.global()}, which looks
 * the mappers up in its service registry on every call unless one instance was set (helidon-io/helidon#10595, fixed in
 * 4.3 by #10635): 7 % of the CPU of a small /filter call at one connection, a cost GET /livez (no body) never pays.
 * Setting one instance, once, before the server starts, makes that lookup a field read. The API is deprecated
 * for removal in later Helidon versions, which no longer need this.
 */
final class HeaderMappers {
    private static final AtomicBoolean SET = new AtomicBoolean();

    private HeaderMappers() {}

    /** Idempotent: the simulator and the tests start several servers in one JVM. */
    @SuppressWarnings("removal")
    static void keepOne() {
        if (SET.compareAndSet(false, true)) {
            MapperManager.global(MapperManager.create());
        }
    }
}

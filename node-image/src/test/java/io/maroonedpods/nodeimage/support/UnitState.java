package io.maroonedpods.nodeimage.support;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A unit as {@code systemctl show -p Id,ActiveState,Result,InactiveExitTimestampMonotonic,ActiveEnterTimestampMonotonic}
 * reports it: when its start began (left inactive) and when it became active, in microseconds since boot (0: never).
 */
public record UnitState(String id, String activeState, String result, long startedAt, long activeAt) {

    public static UnitState parse(String systemctlShow) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : systemctlShow.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                properties.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return new UnitState(
                properties.getOrDefault("Id", ""),
                properties.getOrDefault("ActiveState", ""),
                properties.getOrDefault("Result", ""),
                number(properties.get("InactiveExitTimestampMonotonic")),
                number(properties.get("ActiveEnterTimestampMonotonic")));
    }

    public boolean ranSuccessfully() {
        return activeState.equals("active") && result.equals("success") && activeAt > 0;
    }

    private static long number(String value) {
        return value == null || value.isEmpty() ? 0 : Long.parseLong(value);
    }
}

package io.maroonedpods.simulator.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Looks for the cluster's join token where it must never be: in any object of the cluster other than the Secret it is
 * kept in, the VMs' join info above all (pure: serialized objects in, places out).
 */
public final class TokenScan {
    private TokenScan() {}

    /**
     * @param objects where → the object's JSON, for every object that may not hold the token
     * @return the places (keys) whose JSON contains the token, plainly or base64-encoded
     */
    /** Where the cluster's agent token, or its password part alone, appears in {@code objects}. */
    public static List<String> agentTokenLeaks(String token, Map<String, String> objects) {
        List<String> leaks = new java.util.ArrayList<>(leaks(token, objects));
        leaks(token.substring(token.lastIndexOf(':') + 1), objects).stream()
                .filter(p -> !leaks.contains(p))
                .forEach(leaks::add);
        return leaks;
    }

    public static List<String> leaks(String token, Map<String, String> objects) {
        String encoded = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
        List<String> leaks = new ArrayList<>();
        objects.forEach((where, json) -> {
            if (json.contains(token) || json.contains(encoded)) {
                leaks.add(where);
            }
        });
        return leaks;
    }
}

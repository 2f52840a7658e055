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
    private TokenScan() {
    }

    /**
     * @param objects where → the object's JSON, for every object that may not hold the token
     * @return the places (keys) whose JSON contains the token, plainly or base64-encoded
     */
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

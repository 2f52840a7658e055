package io.maroonedpods.simulator.report;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Looks for the join token where it must never be: in any object of the cluster other than the token Secret itself
 * and the cloud-init Secrets that carry it to the VMs (pure: serialized objects in, places out).
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

package io.maroonedpods.testcluster;

import java.util.Map;

/**
 * One HTTP request to the simulated API server, as the HTTP layer hands it over.
 *
 * @param headers header names in lower case
 */
public record ApiRequest(String method, String rawPath, Map<String, String> headers, byte[] body) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }
}

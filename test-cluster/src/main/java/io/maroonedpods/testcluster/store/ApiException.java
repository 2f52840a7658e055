package io.maroonedpods.testcluster.store;

/**
 * A refusal the API server answers with a Status object: the code, kube-apiserver's reason and its message wording,
 * so that clients (fabric8's KubernetesClientException, kubectl) see what they would see from a real cluster.
 */
public final class ApiException extends RuntimeException {
    private final int code;
    private final String reason;

    public ApiException(int code, String reason, String message) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public static ApiException notFound(String plural, String name) {
        return new ApiException(404, "NotFound", plural + " \"" + name + "\" not found");
    }

    public static ApiException alreadyExists(String plural, String name) {
        return new ApiException(409, "AlreadyExists", plural + " \"" + name + "\" already exists");
    }

    public static ApiException conflict(String plural, String name, String why) {
        return new ApiException(
                409, "Conflict", "Operation cannot be fulfilled on " + plural + " \"" + name + "\": " + why);
    }

    public static ApiException staleResourceVersion(String plural, String name) {
        return conflict(
                plural,
                name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, "Invalid", message);
    }

    public static ApiException expired(String message) {
        return new ApiException(410, "Expired", message);
    }
}

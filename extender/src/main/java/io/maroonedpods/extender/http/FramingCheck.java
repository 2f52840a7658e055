package io.maroonedpods.extender.http;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a request's body ends must be beyond doubt (RFC 9112, 6): one Content-Length of digits only, or
 * Transfer-Encoding exactly {@code chunked}, never both. Helidon 4.2.0 routed a negative Content-Length (and then
 * failed reading it with a 500), took the first of two differing Content-Lengths, let Transfer-Encoding win over
 * Content-Length, and read a body whose coding is {@code Chunked} or {@code gzip, chunked} as having none, so its
 * bytes would have been parsed as the next request. Each of these is refused here before any route runs.
 */
public final class FramingCheck {
    /** 18 digits stay below Long.MAX_VALUE; the body limit refuses anything near it anyway. */
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private FramingCheck() {}

    /**
     * The framing problem of a request, or null when it has none.
     *
     * @param contentLength     every Content-Length value sent (one per header line)
     * @param transferEncoding  every Transfer-Encoding value sent
     */
    public static String problem(List<String> contentLength, List<String> transferEncoding) {
        if (!contentLength.isEmpty() && !transferEncoding.isEmpty()) {
            return "both Content-Length and Transfer-Encoding sent: send one of them";
        }
        if (contentLength.size() > 1) {
            return "Content-Length sent " + contentLength.size() + " times: send it once";
        }
        if (contentLength.size() == 1
                && !DIGITS.matcher(contentLength.get(0).trim()).matches()) {
            return "Content-Length " + shown(contentLength.get(0)) + ": must be a non-negative whole number";
        }
        if (!transferEncoding.isEmpty()
                && (transferEncoding.size() > 1
                        || !transferEncoding.get(0).trim().equals("chunked"))) {
            return "Transfer-Encoding " + shown(String.join(", ", transferEncoding))
                    + " not supported: send the body with a Content-Length, or as chunked only";
        }
        return null;
    }

    /** Whether the client asked to close the connection after this answer (the token is case-insensitive). */
    public static boolean asksToClose(List<String> connection) {
        for (String header : connection) {
            for (String token : header.split(",")) {
                if (token.trim().toLowerCase(Locale.ROOT).equals("close")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A header value quoted for a message, cut short: it is the client's text, echoed back in JSON. */
    private static String shown(String value) {
        return "\"" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "\"";
    }
}

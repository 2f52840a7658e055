package io.maroonedpods.extender.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import io.helidon.webserver.CloseConnectionException;
import io.maroonedpods.extender.wire.BadRequestException;
import io.maroonedpods.extender.wire.NotReadyException;
import java.nio.charset.CharacterCodingException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The one place that turns a failure into an HTTP status and a message for the client. Bad input is always a 4xx
 * naming the problem; anything unexpected is a 500 with a generic message (the stack trace goes to our log only).
 */
public final class ErrorTable {
    private static final Logger LOG = Logger.getLogger(ErrorTable.class.getName());

    /** A status and the message sent in the JSON body's {@code Error}. */
    public record Failure(int status, String message) {}

    private ErrorTable() {}

    public static Failure of(Throwable error) {
        return switch (error) {
            case BadRequestException e -> new Failure(e.status(), e.getMessage());
            // Helidon's own refusals while it reads a body for us (a chunk size that is not hex, a body over
            // maxPayloadSize): the client's fault, whatever status the exception carries.
            case RequestException e ->
                new Failure(
                        e.status().code() == 413 ? 413 : 400,
                        e.status().code() == 413
                                ? "request body exceeds the limit (extender.bodyLimitBytes)"
                                : "malformed request body framing: " + firstLine(e.getMessage()));
            case NotReadyException e -> new Failure(503, e.getMessage());
            case StreamConstraintsException e ->
                new Failure(400, "request body exceeds a JSON limit: " + firstLine(e.getOriginalMessage()));
            case JsonEOFException e -> new Failure(400, "malformed JSON: body ends early" + where(e.getLocation()));
            case JsonMappingException e when e.getCause() instanceof JsonProcessingException cause -> of(cause);
            case JsonMappingException e ->
                new Failure(400, "wrong type at " + pathOf(e) + ": " + firstLine(e.getOriginalMessage()));
            case JsonProcessingException e
            when isEncoding(e) -> new Failure(400, "request body is not valid UTF-8" + where(e.getLocation()));
            case JsonProcessingException e ->
                new Failure(400, "malformed JSON: " + firstLine(e.getOriginalMessage()) + where(e.getLocation()));
            case CharacterCodingException e -> new Failure(400, "request body is not valid UTF-8");
            default -> {
                LOG.log(Level.SEVERE, "unexpected failure answering a request", error);
                yield new Failure(500, "internal error (" + error.getClass().getSimpleName() + "), see extender log");
            }
        };
    }

    /** The client is gone or stopped mid-body: no answer possible (a read timeout is a 408, see ArrivingBody). */
    public static boolean connectionLost(Throwable error) {
        return error instanceof CloseConnectionException
                || error instanceof DataReader.InsufficientDataAvailableException;
    }

    /** What to throw for a lost connection so that Helidon closes it quietly, without a 500 of its own. */
    public static RuntimeException closing(Throwable error) {
        return error instanceof CloseConnectionException e
                ? e
                : new CloseConnectionException("the client closed the connection before its body ended", error);
    }

    private static boolean isEncoding(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        return message != null && (message.contains("UTF-8") || message.contains("UTF8"));
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** {@code .spec.containers[0].name} from a Jackson path. */
    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}

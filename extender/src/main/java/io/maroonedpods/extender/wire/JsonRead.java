package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/** Small checks for the hand-written streaming readers: every type mismatch names the field it happened in. */
final class JsonRead {
    private JsonRead() {}

    /** Reads a string or null at the current token. */
    static String stringOrNull(JsonParser parser, String path) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != JsonToken.VALUE_STRING) {
            throw wrongType(path, "a string", token);
        }
        return parser.getText();
    }

    /** True when the current token starts an object; false for null; anything else is a type error. */
    static boolean objectOrNull(JsonParser parser, String path) {
        return startsOrNull(parser, JsonToken.START_OBJECT, path, "an object");
    }

    static boolean arrayOrNull(JsonParser parser, String path) {
        return startsOrNull(parser, JsonToken.START_ARRAY, path, "an array");
    }

    static boolean booleanOrNull(JsonParser parser, String path) {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (token == JsonToken.VALUE_FALSE || token == JsonToken.VALUE_NULL) {
            return false;
        }
        throw wrongType(path, "a boolean", token);
    }

    private static boolean startsOrNull(JsonParser parser, JsonToken start, String path, String what) {
        JsonToken token = parser.currentToken();
        if (token == start) {
            return true;
        }
        if (token == JsonToken.VALUE_NULL) {
            return false;
        }
        throw wrongType(path, what, token);
    }

    static BadRequestException wrongType(String path, String expected, JsonToken got) {
        return new BadRequestException(path + ": expected " + expected + ", got " + describe(got));
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "end of input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }
}

package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.maroonedpods.extender.filter.CandidateNames;
import io.maroonedpods.extender.filter.NameHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The NodeNames of a request as where each name lies in the body (its JSON text between the quotes), never copied:
 * answers copy these bytes, the filter hashes them, and only a name that may be a dedicated node is decoded.
 *
 * <p>kube-scheduler never escapes a node name (they are DNS names), but JSON allows it ({@code "a\u002db"}): when any
 * name of the request is escaped, every name is decoded once up front, and hashes and prefix tests use the decoded
 * names, so an escaped name matches exactly what its plain spelling would.
 */
public final class NameSpans implements CandidateNames {
    private final byte[] body;
    /** Start (after the opening quote) and end (at the closing quote) of each name, in pairs. */
    private int[] spans;

    private int size;
    private boolean escaped;
    private String[] decoded;

    private NameSpans(byte[] body, int expected) {
        this.body = body;
        this.spans = new int[2 * expected];
    }

    /**
     * The names of the array opening at {@code open} when it is what kube-scheduler sends, checked here without a JSON
     * parser: plain printable ASCII names (no escape, no control character, nothing over 0x7E), separated by commas,
     * and the array the body's last value ({@code ]}, then {@code }} and nothing but whitespace). Null for anything
     * else, left to the parser: it accepts a strict subset of valid JSON, so what it refuses is refused with the
     * parser's own message. This spares reading the body twice: the parser's pass is the largest part of an ordinary
     * pod's filter (bench/RESULTS.md, issue 21).
     */
    static NameSpans closingTheBody(byte[] body, int open) {
        NameSpans names = new NameSpans(body, Math.clamp(body.length / 12, 16, 1 << 16));
        int at = skipSpace(body, open + 1, body.length);
        if (at < body.length && body[at] == ']') {
            return closesTheBody(body, at) ? names : null;
        }
        while (at < body.length && body[at] == '"') {
            int start = at + 1;
            int end = PlainAscii.closingQuote(body, start);
            if (end < 0) {
                return null;
            }
            names.add(start, end, false);
            at = end + 1;
            if (at + 1 < body.length && body[at] == ',' && body[at + 1] == '"') {
                at++; // the compact form Go writes: straight on to the next name
                continue;
            }
            at = skipSpace(body, at, body.length);
            if (at < body.length && body[at] == ']') {
                return closesTheBody(body, at) ? names : null;
            }
            if (at >= body.length || body[at] != ',') {
                return null;
            }
            at = skipSpace(body, at + 1, body.length);
        }
        return null;
    }

    /** {@code ]} at {@code close}, then only the object's closing brace, with whitespace around it. */
    private static boolean closesTheBody(byte[] body, int close) {
        int at = skipSpace(body, close + 1, body.length);
        if (at >= body.length || body[at] != '}') {
            return false;
        }
        return skipSpace(body, at + 1, body.length) == body.length;
    }

    /**
     * The names of the array opening at {@code open}, which the caller has checked is well-formed JSON: a name runs
     * from its opening quote to the first quote no backslash escapes. An element that is not a string is refused.
     */
    static NameSpans scan(byte[] body, int open) {
        // Sized from the body (a name with its quotes and comma takes at least ~12 bytes): one array instead of a
        // dozen doublings for 5,000 names (capped: a large Pod must not reserve room for names never sent).
        NameSpans names = new NameSpans(body, Math.clamp(body.length / 12, 16, 1 << 16));
        int at = skipSpace(body, open + 1, body.length);
        while (body[at] != ']') {
            if (body[at] != '"') {
                throw JsonRead.wrongType("NodeNames[" + names.size + "]", "a string", tokenAt(body[at]));
            }
            int start = at + 1;
            int end = start;
            boolean escape = false;
            while (body[end] != '"') {
                if (body[end] == '\\') {
                    escape = true;
                    end++;
                }
                end++;
            }
            names.add(start, end, escape);
            at = skipSpace(body, end + 1, body.length);
            if (body[at] == ',') {
                at = skipSpace(body, at + 1, body.length);
            }
        }
        return names.complete();
    }

    /** The first position from {@code at} that is not JSON whitespace, or {@code end}. */
    private static int skipSpace(byte[] body, int at, int end) {
        while (at < end && (body[at] == ' ' || body[at] == '\n' || body[at] == '\r' || body[at] == '\t')) {
            at++;
        }
        return at;
    }

    /** The kind of JSON value starting with {@code first} (valid JSON: the array was checked). */
    private static JsonToken tokenAt(byte first) {
        return switch (first) {
            case '{' -> JsonToken.START_OBJECT;
            case '[' -> JsonToken.START_ARRAY;
            case 't' -> JsonToken.VALUE_TRUE;
            case 'f' -> JsonToken.VALUE_FALSE;
            case 'n' -> JsonToken.VALUE_NULL;
            default -> JsonToken.VALUE_NUMBER_INT;
        };
    }

    private void add(int start, int end, boolean hasEscape) {
        if (2 * size + 1 >= spans.length) {
            spans = Arrays.copyOf(spans, Math.max(16, spans.length * 2));
        }
        spans[2 * size] = start;
        spans[2 * size + 1] = end;
        size++;
        escaped |= hasEscape;
    }

    /** Called once every name is in: decodes them all if any one is escaped. */
    private NameSpans complete() {
        if (escaped) {
            decoded = new String[size];
            for (int i = 0; i < size; i++) {
                decoded[i] = unescape(i);
            }
        }
        return this;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name(int index) {
        return decoded != null ? decoded[index] : new String(body, start(index), length(index), StandardCharsets.UTF_8);
    }

    @Override
    public int hash(int index) {
        return decoded != null ? NameHash.of(decoded[index]) : NameHash.of(body, start(index), length(index));
    }

    @Override
    public boolean startsWith(int index, String asciiPrefix) {
        return decoded != null
                ? decoded[index].startsWith(asciiPrefix)
                : CandidateNames.startsWith(body, start(index), length(index), asciiPrefix);
    }

    /** The name's JSON text exactly as sent (escaped, without quotes). */
    public RawJson raw(int index) {
        return new RawJson(body, start(index), length(index));
    }

    /**
     * True when name {@code index + 1} follows name {@code index} with nothing but a comma between their quotes (as
     * kube-scheduler writes them): then a run of such names is one slice of the body, see {@link #quotedRun}.
     */
    public boolean nextFollowsClosely(int index) {
        return start(index + 1) - spans[2 * index + 1] == 3;
    }

    /** The names {@code first} to {@code last} exactly as sent, quotes and commas included ({@code "a","b"}). */
    public RawJson quotedRun(int first, int last) {
        int from = start(first) - 1;
        return new RawJson(body, from, spans[2 * last + 1] + 1 - from);
    }

    private int start(int index) {
        return spans[2 * index];
    }

    private int length(int index) {
        return spans[2 * index + 1] - spans[2 * index];
    }

    /** Decodes the quoted string around span {@code index}; the reader has already checked that it is valid JSON. */
    private String unescape(int index) {
        try (JsonParser parser = WireJson.FACTORY.createParser(body, start(index) - 1, length(index) + 2)) {
            parser.nextToken();
            return parser.getText();
        } catch (IOException e) {
            throw new UncheckedIOException("NodeNames[" + index + "] was validated when read", e);
        }
    }
}

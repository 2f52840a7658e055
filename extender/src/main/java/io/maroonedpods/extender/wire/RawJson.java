package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A slice of already valid JSON (UTF-8) that the generator copies to the output as is. */
public record RawJson(byte[] bytes, int offset, int length) implements SerializableString {

    @Override
    public String getValue() {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        return getValue().toCharArray();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    }

    @Override
    public byte[] asQuotedUTF8() {
        return asUnquotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int bufferOffset) {
        return appendUnquotedUTF8(buffer, bufferOffset);
    }

    @Override
    public int appendQuoted(char[] buffer, int bufferOffset) {
        return appendUnquoted(buffer, bufferOffset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int bufferOffset) {
        if (bufferOffset + length > buffer.length) {
            return -1;
        }
        System.arraycopy(bytes, offset, buffer, bufferOffset, length);
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int bufferOffset) {
        char[] chars = asQuotedChars();
        if (bufferOffset + chars.length > buffer.length) {
            return -1;
        }
        System.arraycopy(chars, 0, buffer, bufferOffset, chars.length);
        return chars.length;
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        return writeUnquotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(bytes, offset, length);
        return length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        return putUnquotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (buffer.remaining() < length) {
            return -1;
        }
        buffer.put(bytes, offset, length);
        return length;
    }
}

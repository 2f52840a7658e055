package io.maroonedpods.extender.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds the end of a JSON string that needs no decoding (printable ASCII, no escape), eight bytes at a time: node
 * names as kube-scheduler sends them, 5,000 in a large cluster's request.
 */
final class PlainAscii {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private PlainAscii() {}

    /**
     * The position of the quote that closes a string whose text starts at {@code start}, when every byte before it is
     * printable ASCII (0x20-0x7E) other than a backslash; -1 when a byte is not, or the body ends first.
     */
    static int closingQuote(byte[] body, int start) {
        int at = start;
        for (; at + Long.BYTES <= body.length; at += Long.BYTES) {
            long word = (long) LONGS.get(body, at);
            long special = below(word, 0x20) | above(word, 0x7e) | equal(word, '"') | equal(word, '\\');
            if (special != 0) {
                // The lowest flag of each test is exact (only bytes above a true match can be flagged wrongly), so
                // this is the first byte that is not plain.
                return quoteOrNothing(body, at + (Long.numberOfTrailingZeros(special) >>> 3));
            }
        }
        for (; at < body.length; at++) {
            byte b = body[at];
            if (b < 0x20 || b > 0x7e || b == '"' || b == '\\') {
                return quoteOrNothing(body, at);
            }
        }
        return -1;
    }

    private static int quoteOrNothing(byte[] body, int at) {
        return body[at] == '"' ? at : -1;
    }

    /** The high bit set in each byte below {@code limit} (at most 0x80); exact up to the first such byte. */
    private static long below(long word, int limit) {
        return (word - ONES * limit) & ~word & HIGH_BITS;
    }

    /** The high bit set in each byte above {@code limit} (0x7F at most); exact up to the first such byte. */
    private static long above(long word, int limit) {
        return ((word + ONES * (0x7f - limit)) | word) & HIGH_BITS;
    }

    private static long equal(long word, char c) {
        return below(word ^ (ONES * c), 1);
    }
}

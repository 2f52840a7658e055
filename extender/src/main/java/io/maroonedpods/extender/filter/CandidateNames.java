package io.maroonedpods.extender.filter;

import java.util.List;

/**
 * The candidate names of a NodeNames request, by position. A request of 5,000 names is answered mostly without
 * making a String of any of them: the hash and the prefix test below read the request's bytes.
 */
public interface CandidateNames {

    int size();

    /** The name, decoded (an allocation: the hot path asks for it only for names that may be dedicated nodes). */
    String name(int index);

    /** {@link NameHash#of} the name's UTF-8 bytes. */
    int hash(int index);

    /** True when the name starts with {@code asciiPrefix}. */
    boolean startsWith(int index, String asciiPrefix);

    /** Names already decoded (tests, small callers). */
    static CandidateNames of(List<String> names) {
        return new CandidateNames() {
            @Override
            public int size() {
                return names.size();
            }

            @Override
            public String name(int index) {
                return names.get(index);
            }

            @Override
            public int hash(int index) {
                return NameHash.of(names.get(index));
            }

            @Override
            public boolean startsWith(int index, String asciiPrefix) {
                return names.get(index).startsWith(asciiPrefix);
            }
        };
    }

    /** The same, for a name's UTF-8 bytes. */
    static boolean startsWith(byte[] bytes, int offset, int length, String asciiPrefix) {
        if (length < asciiPrefix.length()) {
            return false;
        }
        for (int i = 0; i < asciiPrefix.length(); i++) {
            if (bytes[offset + i] != (byte) asciiPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}

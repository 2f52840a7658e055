package io.maroonedpods.extender.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.util.Map;

/**
 * The one JSON configuration of the wire: Go's decoder matches field names case-insensitively and ignores unknown
 * fields, so ours does too. Nesting is bounded far below Jackson's default: Kubernetes objects are shallow, and a
 * deeply nested body is an attack on the stack, not a Pod.
 */
public final class WireJson {
    public static final int MAX_NESTING_DEPTH = 64;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(1024 * 1024)
                    .maxNumberLength(100)
                    .build())
            .build();

    public static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // Go refuses a number or boolean where a string belongs; so do we (Jackson would quietly coerce).
            .withCoercionConfig(
                    LogicalType.Textual,
                    text -> text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                            .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private WireJson() {}

    /**
     * Data-binds a whole request body; anything after the first JSON value is refused. (The mapper-wide
     * FAIL_ON_TRAILING_TOKENS cannot be used: fabric8's Quantity deserializer reads a sub-tree and trips over it.)
     */
    public static <T> T readWhole(byte[] body, Class<T> type) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() == null) {
                throw new BadRequestException("request body is empty: expected JSON");
            }
            T value = MAPPER.readValue(parser, type);
            if (parser.nextToken() != null) {
                throw new BadRequestException("request body: unexpected data after the JSON value");
            }
            return value;
        }
    }

    /** {@code {"Error": message}}: the body of every refusal, in the shape of the extender results' Error field. */
    public static byte[] errorBody(String message) {
        try {
            return MAPPER.writeValueAsBytes(Map.of("Error", message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a one-field map always serialises", e);
        }
    }
}

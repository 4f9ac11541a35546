package dev.caravan;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * The one Jackson 2 mapper Caravan's own code uses (Spring MVC's Jackson 3 serves nothing of ours).
 * Decimals stay exact and plain, so a price or a cost never turns into a float or "3.96E-4".
 */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private Json() {
    }

    /**
     * One JSON value from what a client sent (a request body, a queued request, a JSONL line),
     * refusing anything after it: {@code {"model": ...} xyz} or two objects on one line are not
     * valid JSON, yet Jackson alone reads the first value and ignores the rest. Null when there is
     * no value at all.
     */
    public static JsonNode readOneValue(byte[] json) throws IOException {
        try (JsonParser parser = MAPPER.createParser(json)) {
            return oneValue(parser);
        }
    }

    public static JsonNode readOneValue(String json) throws IOException {
        try (JsonParser parser = MAPPER.createParser(json)) {
            return oneValue(parser);
        }
    }

    private static JsonNode oneValue(JsonParser parser) throws IOException {
        JsonNode value = MAPPER.readTree(parser);
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "Unexpected content after the JSON value");
        }
        return value;
    }
}

package dev.caravan.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.Charge;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.accounting.Usage;
import dev.caravan.api.Responses;
import dev.caravan.api.Stamp;
import dev.caravan.providers.UpstreamException;
import dev.caravan.routing.Attempt;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Finishes an embeddings answer whichever upstream gave the vectors: OpenAI's list shape with
 * Caravan's id, the model asked for, the provider, each vector in the encoding the client asked
 * for, and usage with its cost (prompt tokens at the prompt price), which settle charges.
 */
public final class EmbeddingAnswers {

    private EmbeddingAnswers() {
    }

    /**
     * @param vectors one per input, in input order: a JSON array of numbers or a base64 string of float32s
     * @param usage   the upstream's count, or null to count the inputs here (marked estimated)
     */
    public static void respond(Exchange exchange, List<JsonNode> vectors, Usage usage) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        EmbeddingRequest request = exchange.getProperty(EmbeddingRequest.PROPERTY, EmbeddingRequest.class);
        if (vectors.size() != request.inputs().size()) {
            throw UpstreamException.invalidResponse(attempt.provider().name(),
                    vectors.size() + " embeddings for " + request.inputs().size() + " inputs");
        }
        ObjectNode answer = Stamp.of(exchange).apply(Json.MAPPER.createObjectNode(), "list");
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            item.set("embedding", encoded(vectors.get(i), request.encodingFormat(), attempt));
        }
        if (usage == null) {
            usage = Usage.estimated(promptTokens(request), 0);
        }
        BigDecimal cost = usage.cost(attempt.endpoint().pricing(), false);
        answer.putObject("usage").put("prompt_tokens", usage.promptTokens()).put("total_tokens", usage.promptTokens())
                .put("cost", cost.signum() == 0 ? BigDecimal.ZERO : cost);
        exchange.setProperty(Usage.PROPERTY, usage);
        exchange.setProperty(Charge.PROPERTY, new Charge(usage, cost, null, null));
        Responses.json(exchange, 200, Json.MAPPER.writeValueAsBytes(answer));
    }

    /** Tokens of the inputs as Caravan counts them: o200k for text, the ids themselves for token arrays. */
    public static long promptTokens(EmbeddingRequest request) {
        long tokens = 0;
        for (JsonNode input : request.inputs()) {
            tokens += input.isArray() ? input.size() : TokenCounter.count(input.asText());
        }
        return tokens;
    }

    /** A vector of floats as OpenAI's base64 (little-endian float32). */
    public static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            bytes.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    public static float[] floats(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / 4];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = bytes.getFloat();
        }
        return vector;
    }

    public static ArrayNode array(float[] vector) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (float value : vector) {
            array.add(value);
        }
        return array;
    }

    private static JsonNode encoded(JsonNode vector, String format, Attempt attempt) {
        boolean base64 = format.equals("base64");
        if (vector.isTextual()) {
            return base64 ? vector : array(decode(vector.asText(), attempt));
        }
        if (!vector.isArray() || vector.isEmpty()) {
            throw UpstreamException.invalidResponse(attempt.provider().name(), "an embedding that is not a vector");
        }
        if (!base64) {
            return vector;
        }
        float[] floats = new float[vector.size()];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) vector.get(i).asDouble();
        }
        return Json.MAPPER.getNodeFactory().textNode(base64(floats));
    }

    private static float[] decode(String base64, Attempt attempt) {
        try {
            return floats(base64);
        } catch (IllegalArgumentException e) {
            throw UpstreamException.invalidResponse(attempt.provider().name(), "an embedding that is not base64");
        }
    }
}

package dev.caravan.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.api.ApiException;
import dev.caravan.api.ChatRequest;
import dev.caravan.routing.RoutingNeeds;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * An embeddings request that passed validation. Each input is a string or an array of token ids
 * (OpenAI accepts both); {@code encodingFormat} is what the client wants back, whatever the
 * upstream sends.
 */
public record EmbeddingRequest(ObjectNode body, List<JsonNode> inputs, String encodingFormat, Integer dimensions) {

    public static final String PROPERTY = "caravan.embeddingRequest";

    /** OpenAI's own limit on inputs per request. */
    static final int MAX_INPUTS = 2048;

    private static final Set<String> FORMATS = Set.of("float", "base64");

    public boolean hasTokenInputs() {
        return inputs.stream().anyMatch(JsonNode::isArray);
    }

    /** An input as text: a string itself, token ids joined by spaces. */
    public static String text(JsonNode input) {
        if (input.isTextual()) {
            return input.asText();
        }
        StringBuilder text = new StringBuilder();
        input.forEach(token -> text.append(text.isEmpty() ? "" : " ").append(token.asLong()));
        return text.toString();
    }

    /**
     * The request as the chat pipeline's steps read it: the same routing fields, each input a
     * user message. Reserving prices every byte of the messages as a prompt token, which bounds
     * the inputs' real token count from above, as it does for chat.
     */
    public ChatRequest asChatRequest(String model) {
        ObjectNode chat = body.deepCopy();
        chat.remove(List.of("input", "encoding_format", "dimensions"));
        ArrayNode messages = chat.putArray("messages");
        inputs.forEach(input -> messages.addObject().put("role", "user").put("content", text(input)));
        return new ChatRequest(chat, model, false, null);
    }

    /** Embedding models only; the context must hold the longest input (each input is embedded on its own). */
    public RoutingNeeds needs() {
        long longest = 0;
        for (JsonNode input : inputs) {
            longest = Math.max(longest, input.isArray() ? input.size() : (input.asText().length() + 3) / 4);
        }
        return new RoutingNeeds(Set.of(), false, false, false, longest, 0, RoutingNeeds.EMBEDDINGS);
    }

    public static EmbeddingRequest of(ObjectNode body) {
        String model = model(body);
        List<JsonNode> inputs = inputs(body.get("input"));
        JsonNode format = body.get("encoding_format");
        if (format != null && !format.isNull() && !(format.isTextual() && FORMATS.contains(format.asText()))) {
            throw ApiException.invalidRequest("'encoding_format' must be 'float' or 'base64'", "encoding_format");
        }
        JsonNode dimensions = body.get("dimensions");
        if (dimensions != null && !dimensions.isNull() && !(dimensions.canConvertToInt() && dimensions.isIntegralNumber()
                && dimensions.asInt() > 0)) {
            throw ApiException.invalidRequest("'dimensions' must be a positive integer", "dimensions");
        }
        JsonNode user = body.get("user");
        if (user != null && !user.isNull() && !user.isTextual()) {
            throw ApiException.invalidRequest("'user' must be a string", "user");
        }
        JsonNode provider = body.get("provider");
        if (provider != null && !provider.isNull() && !provider.isObject()) {
            throw ApiException.invalidRequest("'provider' must be an object", "provider");
        }
        return new EmbeddingRequest(body, inputs, format == null || format.isNull() ? "float" : format.asText(),
                dimensions == null || dimensions.isNull() ? null : dimensions.asInt());
    }

    private static String model(ObjectNode body) {
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw ApiException.invalidRequest("'model' is required", "model");
        }
        if (!model.isTextual() || model.asText().isBlank()) {
            throw ApiException.invalidRequest("'model' must be a model id such as 'caravan/sim-embed'", "model");
        }
        return model.asText();
    }

    /** A string, an array of strings, an array of token ids, or an array of arrays of token ids. */
    private static List<JsonNode> inputs(JsonNode input) {
        String expected = "'input' must be a non-empty string, an array of strings or an array of token arrays";
        if (input == null || input.isNull()) {
            throw ApiException.invalidRequest("'input' is required", "input");
        }
        if (input.isTextual()) {
            return List.of(nonEmpty(input, expected));
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ApiException.invalidRequest(expected, "input");
        }
        if (input.get(0).isIntegralNumber()) {
            return List.of(tokens(input, expected));
        }
        if (input.size() > MAX_INPUTS) {
            throw ApiException.invalidRequest("'input' may hold at most " + MAX_INPUTS + " items", "input");
        }
        List<JsonNode> inputs = new ArrayList<>();
        for (JsonNode item : input) {
            inputs.add(item.isArray() ? tokens(item, expected) : nonEmpty(item, expected));
        }
        return inputs;
    }

    private static JsonNode nonEmpty(JsonNode text, String expected) {
        if (!text.isTextual() || text.asText().isEmpty()) {
            throw ApiException.invalidRequest(expected, "input");
        }
        return text;
    }

    private static JsonNode tokens(JsonNode tokens, String expected) {
        if (tokens.isEmpty()) {
            throw ApiException.invalidRequest(expected, "input");
        }
        for (JsonNode token : tokens) {
            if (!token.isIntegralNumber() || token.asLong() < 0) {
                throw ApiException.invalidRequest(expected, "input");
            }
        }
        return tokens;
    }
}

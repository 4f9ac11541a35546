package dev.caravan.triggers;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import java.io.IOException;

/**
 * One line of a JSONL batch: OpenAI's batch input shape {@code {"custom_id": ..., "body": {...}}}
 * ({@code method} and {@code url} are accepted and ignored: every line is a chat completion), or
 * a bare chat request. A line that is neither is kept with the reason, to be answered as an error.
 */
record BatchLine(long number, JsonNode customId, ObjectNode request, ApiException problem) {

    static BatchLine parse(long number, String text) {
        JsonNode json;
        try {
            json = Json.readOneValue(text);
        } catch (IOException e) {   // reading a String, it is always Jackson's
            String why = e instanceof JacksonException parse ? parse.getOriginalMessage() : e.getMessage();
            return invalid(number, NullNode.getInstance(), "Line " + number + " is not valid JSON: " + why);
        }
        if (json == null || !json.isObject()) {
            return invalid(number, NullNode.getInstance(), "Line " + number + " must be a JSON object");
        }
        JsonNode customId = json.path("custom_id").isMissingNode() ? NullNode.getInstance() : json.get("custom_id");
        JsonNode body = json.has("body") ? json.get("body") : json.has("custom_id") ? null : json;
        if (body == null || !body.isObject()) {
            return invalid(number, customId, "Line " + number + ": 'body' must be a chat completion request object");
        }
        return new BatchLine(number, customId, ChatRequestBodies.unstreamed((ObjectNode) body), null);
    }

    private static BatchLine invalid(long number, JsonNode customId, String message) {
        return new BatchLine(number, customId, null, ApiException.invalidRequest(message, null));
    }
}

package dev.caravan.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;

/**
 * Caravan's OpenAI answers -> Anthropic's shapes: a chat.completion as a message, an error
 * envelope as Anthropic's {@code {"type": "error", "error": {type, message}}}, and the pieces the
 * stream encoder shares (stop reasons, usage).
 */
final class MessagesResponses {

    private MessagesResponses() {
    }

    static ObjectNode message(JsonNode completion) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ObjectNode out = start(completion);
        ArrayNode content = out.putArray("content");
        if (message.path("reasoning").isTextual()) {
            content.addObject().put("type", "thinking").put("thinking", message.get("reasoning").asText())
                    .put("signature", "");
        }
        if (!message.path("content").asText("").isEmpty()) {
            content.addObject().put("type", "text").put("text", message.get("content").asText());
        }
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode use = content.addObject().put("type", "tool_use").put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            use.set("input", input(call.path("function").path("arguments").asText("{}")));
        }
        out.put("stop_reason", stopReason(choice));
        out.set("usage", usage(completion.path("usage")));
        return out;
    }

    /** A message with no content yet: the whole answer's frame, and message_start's payload. */
    static ObjectNode start(JsonNode completion) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", completion.path("id").asText());
        out.put("type", "message").put("role", "assistant").put("model", completion.path("model").asText());
        out.putArray("content");
        out.putNull("stop_reason");
        out.putNull("stop_sequence");
        return out;
    }

    static String stopReason(JsonNode choice) {
        String nativeReason = choice.path("native_finish_reason").asText("");
        if (nativeReason.equals("stop_sequence") || nativeReason.equals("pause_turn")) {
            return nativeReason; // an Anthropic upstream said exactly this
        }
        return switch (choice.path("finish_reason").asText("stop")) {
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> "end_turn";
        };
    }

    /** Anthropic's input_tokens leave out cached tokens, which it reports apart. */
    static ObjectNode usage(JsonNode usage) {
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong();
        return Json.MAPPER.createObjectNode()
                .put("input_tokens", usage.path("prompt_tokens").asLong() - cached)
                .put("output_tokens", usage.path("completion_tokens").asLong())
                .put("cache_creation_input_tokens", 0)
                .put("cache_read_input_tokens", cached);
    }

    static ObjectNode error(JsonNode envelope) {
        JsonNode error = envelope.path("error");
        ObjectNode out = Json.MAPPER.createObjectNode().put("type", "error");
        out.putObject("error").put("type", errorType(error.path("code").asInt(500)))
                .put("message", error.path("message").asText("Caravan failed to process the request"));
        return out;
    }

    static String errorType(int status) {
        return switch (status) {
            case 400, 405, 415 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 408, 504 -> "timeout_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> "api_error";
        };
    }

    private static JsonNode input(String arguments) {
        try {
            JsonNode input = Json.MAPPER.readTree(arguments.isBlank() ? "{}" : arguments);
            return input.isObject() ? input : Json.MAPPER.createObjectNode();
        } catch (Exception notJson) {
            return Json.MAPPER.createObjectNode();
        }
    }
}

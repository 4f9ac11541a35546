package dev.caravan.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import java.math.BigDecimal;
import java.util.List;

/**
 * Caravan's chat shapes -> the legacy text_completion shapes: each choice's message content (or
 * delta content) becomes its {@code text}; id, created, model, provider, finish reasons, usage
 * and an error object are kept as they are.
 */
final class TextCompletionShapes {

    private static final String OBJECT = "text_completion";

    private TextCompletionShapes() {
    }

    static ObjectNode completion(JsonNode chat) {
        return translate(chat, "message");
    }

    /** Several prompts' chat completions as one: choices renumbered in prompt order, usage summed. */
    static ObjectNode merged(List<JsonNode> chats) {
        ObjectNode out = completion(chats.get(0));
        ArrayNode choices = out.putArray("choices");
        ArrayNode ids = out.putArray("generation_ids");
        long prompt = 0;
        long completion = 0;
        BigDecimal cost = BigDecimal.ZERO;
        for (JsonNode chat : chats) {
            ids.add(chat.path("id").asText());
            for (JsonNode choice : completion(chat).path("choices")) {
                choices.add(((ObjectNode) choice).put("index", choices.size()));
            }
            prompt += chat.path("usage").path("prompt_tokens").asLong();
            completion += chat.path("usage").path("completion_tokens").asLong();
            cost = cost.add(chat.path("usage").path("cost").decimalValue());
        }
        out.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion).put("cost", cost);
        return out;
    }

    /** A stream chunk: content chunks, the usage chunk (no choices) and the error chunk alike. */
    static ObjectNode chunk(JsonNode chat) {
        return translate(chat, "delta");
    }

    /** @param content where each chat choice holds its content: {@code message} or {@code delta} */
    private static ObjectNode translate(JsonNode chat, String content) {
        ObjectNode out = frame(chat);
        ArrayNode choices = out.putArray("choices");
        for (JsonNode choice : chat.path("choices")) {
            choices.add(choice(choice, choice.path(content).path("content").asText("")));
        }
        copy(chat, out, "usage");
        copy(chat, out, "error");
        return out;
    }

    private static ObjectNode frame(JsonNode chat) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("id", chat.path("id").asText());
        out.put("object", OBJECT);
        out.put("created", chat.path("created").asLong());
        out.put("model", chat.path("model").asText());
        copy(chat, out, "provider");
        copy(chat, out, "system_fingerprint");
        return out;
    }

    private static ObjectNode choice(JsonNode choice, String text) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("index", choice.path("index").asInt()).put("text", text);
        out.putNull("logprobs");
        out.set("finish_reason", choice.path("finish_reason").isMissingNode()
                ? Json.MAPPER.nullNode() : choice.get("finish_reason"));
        copy(choice, out, "native_finish_reason");
        return out;
    }

    private static void copy(JsonNode from, ObjectNode to, String field) {
        if (from.has(field)) {
            to.set(field, from.get(field));
        }
    }
}

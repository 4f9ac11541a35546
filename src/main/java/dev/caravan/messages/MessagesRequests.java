package dev.caravan.messages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.providers.ContentParts;
import java.util.List;

/**
 * An Anthropic Messages request -> the OpenAI chat request Caravan's pipeline serves. Tool
 * results (blocks of a user turn) become tool messages ahead of the turn's other content, as
 * OpenAI wants them right after the assistant's calls; {@code thinking} becomes {@code reasoning};
 * Caravan's own fields ({@code models}, {@code provider}) pass through.
 */
final class MessagesRequests {

    private static final List<String> PASSED_THROUGH = List.of("model", "models", "provider", "stream", "max_tokens",
            "temperature", "top_p", "top_k", "session_id");

    private MessagesRequests() {
    }

    static ObjectNode toChat(ObjectNode request) {
        JsonNode messages = request.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalidRequest("'messages' must be a non-empty array", "messages");
        }
        ObjectNode chat = Json.MAPPER.createObjectNode();
        PASSED_THROUGH.forEach(field -> {
            if (request.has(field)) {
                chat.set(field, request.get(field));
            }
        });
        ArrayNode out = chat.putArray("messages");
        String system = system(request.get("system"));
        if (!system.isEmpty()) {
            out.addObject().put("role", "system").put("content", system);
        }
        for (JsonNode message : messages) {
            if ("assistant".equals(message.path("role").asText())) {
                assistant(message.get("content"), out);
            } else {
                user(message.get("content"), out);
            }
        }
        if (request.has("stop_sequences")) {
            chat.set("stop", request.get("stop_sequences"));
        }
        if (request.path("metadata").path("user_id").isTextual()) {
            chat.put("user", request.get("metadata").get("user_id").asText());
        }
        if ("enabled".equals(request.path("thinking").path("type").asText())) {
            chat.putObject("reasoning").put("max_tokens", request.get("thinking").path("budget_tokens").asInt(1024));
        }
        tools(request, chat);
        return chat;
    }

    private static String system(JsonNode system) {
        return system == null ? "" : ContentParts.text(system);
    }

    private static void user(JsonNode content, ArrayNode out) {
        if (content == null || content.isTextual()) {
            out.addObject().put("role", "user").put("content", content == null ? "" : content.asText());
            return;
        }
        ArrayNode parts = Json.MAPPER.createArrayNode();
        for (JsonNode block : content) {
            String type = block.path("type").asText();
            switch (type) {
                case "text" -> parts.addObject().put("type", "text").put("text", block.path("text").asText());
                case "image" -> parts.addObject().put("type", "image_url").putObject("image_url")
                        .put("url", imageUrl(block.path("source")));
                case "tool_result" -> out.addObject().put("role", "tool")
                        .put("tool_call_id", block.path("tool_use_id").asText())
                        .put("content", ContentParts.text(block.get("content")));
                default -> throw ApiException.invalidRequest("Content blocks of type '" + type
                        + "' are not supported", "messages");
            }
        }
        if (!parts.isEmpty()) {
            out.addObject().put("role", "user").set("content", parts);
        }
    }

    private static String imageUrl(JsonNode source) {
        return "url".equals(source.path("type").asText()) ? source.path("url").asText()
                : "data:" + source.path("media_type").asText() + ";base64," + source.path("data").asText();
    }

    private static void assistant(JsonNode content, ArrayNode out) {
        ObjectNode message = out.addObject().put("role", "assistant");
        if (content == null || content.isTextual()) {
            message.put("content", content == null ? "" : content.asText());
            return;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode block : content) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.addObject().put("id", block.path("id").asText()).put("type", "function")
                        .putObject("function").put("name", block.path("name").asText())
                        .put("arguments", block.path("input").toString());
                default -> { } // thinking from earlier turns is the model's own; other models cannot use it
            }
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
        if (text.length() > 0 || calls.isEmpty()) {
            message.put("content", text.toString());
        } else {
            message.putNull("content");
        }
    }

    private static void tools(ObjectNode request, ObjectNode chat) {
        JsonNode tools = request.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            ArrayNode out = chat.putArray("tools");
            for (JsonNode tool : tools) {
                if (tool.has("type") && !"custom".equals(tool.get("type").asText())) {
                    throw ApiException.invalidRequest("Server tools ('" + tool.get("type").asText()
                            + "') are not supported; declare client tools with input_schema", "tools");
                }
                ObjectNode function = out.addObject().put("type", "function").putObject("function")
                        .put("name", tool.path("name").asText());
                if (tool.has("description")) {
                    function.set("description", tool.get("description"));
                }
                function.set("parameters", tool.path("input_schema"));
            }
        }
        JsonNode choice = request.get("tool_choice");
        if (choice == null || !choice.isObject()) {
            return;
        }
        switch (choice.path("type").asText()) {
            case "any" -> chat.put("tool_choice", "required");
            case "none" -> chat.put("tool_choice", "none");
            case "tool" -> chat.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", choice.path("name").asText());
            default -> chat.put("tool_choice", "auto");
        }
        if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
            chat.put("parallel_tool_calls", false);
        }
    }
}

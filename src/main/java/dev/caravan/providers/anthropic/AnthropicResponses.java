package dev.caravan.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.providers.OpenAiShapes;

/**
 * Anthropic message -> OpenAI chat.completion: text blocks become content, thinking blocks
 * {@code reasoning}, tool_use blocks tool_calls (the JSON tool's input becomes content), and
 * usage is normalized: Anthropic's input_tokens leave out cache reads and writes (reference §4a).
 * Anthropic does not count thinking tokens apart, so they are counted from the thinking text.
 */
public final class AnthropicResponses {

    private AnthropicResponses() {
    }

    public static ObjectNode toOpenAi(JsonNode message, boolean includeReasoning) {
        ObjectNode out = OpenAiShapes.assistantMessage();
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        boolean json = false;
        for (JsonNode block : message.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> reasoning.append(block.path("thinking").asText());
                case "tool_use" -> {
                    if (AnthropicRequests.JSON_TOOL.equals(block.path("name").asText())) {
                        json = true;
                        text.setLength(0); // a preamble before the JSON would make the content invalid JSON
                        text.append(block.path("input").toString());
                    } else {
                        OpenAiShapes.toolCall(calls, null, block.path("id").asText(), block.path("name").asText(),
                                block.path("input").toString());
                    }
                }
                default -> { } // redacted_thinking and server tool blocks have no OpenAI counterpart
            }
        }
        if (text.length() > 0 || calls.isEmpty()) {
            out.put("content", text.toString());
        } else {
            out.putNull("content");
        }
        if (includeReasoning && reasoning.length() > 0) {
            out.put("reasoning", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            out.set("tool_calls", calls);
        }
        String stopReason = message.path("stop_reason").asText(null);
        ObjectNode completion = OpenAiShapes.completion(out, finishReason(stopReason, json), stopReason);
        JsonNode usage = message.get("usage");
        if (usage != null && usage.isObject()) {
            completion.set("usage", usage(usage, TokenCounter.count(reasoning.toString())));
        }
        return completion;
    }

    /** The OpenAI finish reason; the JSON tool's tool_use is a normal stop for the client. */
    static String finishReason(String stopReason, boolean jsonTool) {
        return jsonTool && "tool_use".equals(stopReason) ? "stop" : stopReason;
    }

    static ObjectNode usage(JsonNode usage, long reasoningTokens) {
        long cacheRead = usage.path("cache_read_input_tokens").asLong();
        long cacheWrite = usage.path("cache_creation_input_tokens").asLong();
        long output = usage.path("output_tokens").asLong();
        return OpenAiShapes.usage(usage.path("input_tokens").asLong() + cacheRead + cacheWrite, output,
                cacheRead, cacheWrite, Math.min(output, reasoningTokens));
    }
}

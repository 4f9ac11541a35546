package dev.caravan.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.accounting.TokenCounter;
import dev.caravan.providers.OpenAiShapes;
import dev.caravan.providers.StreamDecoder;
import dev.caravan.providers.WireCalls;
import dev.caravan.stream.SseEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's stream events -> OpenAI chunks, one event at a time. It remembers only what later
 * events refer to: the kind of each content block (by Anthropic's block index), the OpenAI tool
 * index of each tool_use block, the prompt usage from message_start, and the thinking text,
 * counted once at the end for reasoning_tokens.
 */
public final class AnthropicStreamDecoder implements StreamDecoder {

    /** What a content block carries; {@code toolIndex} is the OpenAI tool_calls index of a tool block. */
    private record Block(String type, int toolIndex) {
    }

    private static final Block JSON_BLOCK = new Block("json", -1);

    private final String provider;
    private final boolean includeReasoning;
    private final List<Block> blocks = new ArrayList<>();
    private final StringBuilder reasoning = new StringBuilder();
    private int tools;
    private boolean jsonTool;
    private JsonNode promptUsage;

    public AnthropicStreamDecoder(String provider, boolean includeReasoning) {
        this.provider = provider;
        this.includeReasoning = includeReasoning;
    }

    @Override
    public List<ObjectNode> decode(SseEvent event) {
        JsonNode data = WireCalls.eventJson(provider, event);
        return switch (data.path("type").asText()) {
            case "message_start" -> messageStart(data.path("message"));
            case "content_block_start" -> blockStart(data.path("index").asInt(), data.path("content_block"));
            case "content_block_delta" -> blockDelta(data.path("index").asInt(), data.path("delta"));
            case "message_delta" -> messageDelta(data);
            case "message_stop" -> null;
            case "error" -> throw AnthropicErrors.fromEvent(provider, data);
            default -> List.of(); // ping, content_block_stop, and event types added later
        };
    }

    private List<ObjectNode> messageStart(JsonNode message) {
        promptUsage = message.path("usage");
        ObjectNode chunk = OpenAiShapes.chunk();
        OpenAiShapes.delta(chunk).put("role", "assistant").put("content", "");
        return List.of(chunk);
    }

    private List<ObjectNode> blockStart(int index, JsonNode block) {
        String type = block.path("type").asText();
        while (blocks.size() <= index) {
            blocks.add(null);
        }
        if (type.equals("tool_use") && AnthropicRequests.JSON_TOOL.equals(block.path("name").asText())) {
            jsonTool = true;
            blocks.set(index, JSON_BLOCK);
            return List.of();
        }
        if (!type.equals("tool_use")) {
            blocks.set(index, new Block(type, -1));
            String text = block.path("text").asText("");
            return text.isEmpty() ? List.of() : List.of(content("content", text));
        }
        Block tool = new Block(type, tools++);
        blocks.set(index, tool);
        ObjectNode chunk = OpenAiShapes.chunk();
        OpenAiShapes.toolCall(OpenAiShapes.delta(chunk).putArray("tool_calls"), tool.toolIndex(),
                block.path("id").asText(), block.path("name").asText(), "");
        return List.of(chunk);
    }

    private List<ObjectNode> blockDelta(int index, JsonNode delta) {
        switch (delta.path("type").asText()) {
            case "text_delta" -> {
                return List.of(content("content", delta.path("text").asText()));
            }
            case "thinking_delta" -> {
                String thinking = delta.path("thinking").asText();
                reasoning.append(thinking);
                return includeReasoning ? List.of(content("reasoning", thinking)) : List.of();
            }
            case "input_json_delta" -> {
                if (delta.path("partial_json").asText().isEmpty()) {
                    return List.of(); // Anthropic opens every tool input with an empty piece
                }
                return List.of(arguments(index < blocks.size() ? blocks.get(index) : null,
                        delta.path("partial_json").asText()));
            }
            default -> {
                return List.of(); // signature_delta and the like
            }
        }
    }

    private ObjectNode arguments(Block block, String json) {
        if (block == null || block == JSON_BLOCK) {
            return content("content", json);
        }
        ObjectNode chunk = OpenAiShapes.chunk();
        ArrayNode calls = OpenAiShapes.delta(chunk).putArray("tool_calls");
        OpenAiShapes.toolCall(calls, block.toolIndex(), null, null, json);
        return chunk;
    }

    private List<ObjectNode> messageDelta(JsonNode data) {
        String stopReason = data.path("delta").path("stop_reason").asText(null);
        ObjectNode chunk = OpenAiShapes.finish(OpenAiShapes.chunk(),
                AnthropicResponses.finishReason(stopReason, jsonTool), stopReason);
        // message_delta's usage is cumulative; the prompt side came with message_start
        ObjectNode usage = promptUsage == null ? Json.MAPPER.createObjectNode() : promptUsage.deepCopy();
        data.path("usage").fields().forEachRemaining(field -> usage.set(field.getKey(), field.getValue()));
        chunk.set("usage", AnthropicResponses.usage(usage, TokenCounter.count(reasoning.toString())));
        return List.of(chunk);
    }

    private static ObjectNode content(String field, String text) {
        ObjectNode chunk = OpenAiShapes.chunk();
        OpenAiShapes.delta(chunk).put(field, text);
        return chunk;
    }
}

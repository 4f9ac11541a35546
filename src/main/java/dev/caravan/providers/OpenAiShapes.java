package dev.caravan.providers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;

/**
 * The OpenAI-shaped pieces native decoders produce: completions, stream chunks, tool calls and
 * normalized usage. Caravan's stamp (id, model, provider, created) is added downstream.
 */
public final class OpenAiShapes {

    private OpenAiShapes() {
    }

    /** A chat.completion with one choice whose message is returned for filling. */
    public static ObjectNode completion(ObjectNode message, String finishReason, String nativeFinishReason) {
        ObjectNode completion = Json.MAPPER.createObjectNode();
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        choice.put("native_finish_reason", nativeFinishReason);
        return completion;
    }

    public static ObjectNode assistantMessage() {
        return Json.MAPPER.createObjectNode().put("role", "assistant");
    }

    /** A chunk with one choice; returns the chunk, its delta is {@link #delta}. */
    public static ObjectNode chunk() {
        ObjectNode chunk = Json.MAPPER.createObjectNode();
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.putObject("delta");
        choice.putNull("finish_reason");
        return chunk;
    }

    public static ObjectNode delta(ObjectNode chunk) {
        return (ObjectNode) chunk.get("choices").get(0).get("delta");
    }

    public static ObjectNode finish(ObjectNode chunk, String finishReason, String nativeFinishReason) {
        ObjectNode choice = (ObjectNode) chunk.get("choices").get(0);
        choice.put("finish_reason", finishReason);
        choice.put("native_finish_reason", nativeFinishReason);
        return chunk;
    }

    /** A usage-only chunk (empty choices): the framer keeps its usage for the stream's last chunk. */
    public static ObjectNode usageChunk(ObjectNode usage) {
        ObjectNode chunk = Json.MAPPER.createObjectNode();
        chunk.putArray("choices");
        chunk.set("usage", usage);
        return chunk;
    }

    /**
     * {@code {index, id, type: function, function: {name, arguments}}}: index only in stream
     * deltas (null in a message), id and name only when known.
     */
    public static ObjectNode toolCall(ArrayNode calls, Integer index, String id, String name, String arguments) {
        ObjectNode call = calls.addObject();
        if (index != null) {
            call.put("index", index);
        }
        if (id != null) {
            call.put("id", id).put("type", "function");
        }
        ObjectNode function = call.putObject("function");
        if (name != null) {
            function.put("name", name);
        }
        function.put("arguments", arguments);
        return call;
    }

    /**
     * Usage in OpenAI's convention (reference §4a), with the cache-write count Caravan's
     * accounting reads from {@code prompt_tokens_details.cache_write_tokens}.
     */
    public static ObjectNode usage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                                   long reasoningTokens) {
        ObjectNode usage = Json.MAPPER.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens)
                .put("cache_write_tokens", cacheWriteTokens);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
        return usage;
    }
}

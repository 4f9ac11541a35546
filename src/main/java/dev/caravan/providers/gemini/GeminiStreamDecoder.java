package dev.caravan.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.providers.OpenAiShapes;
import dev.caravan.providers.StreamDecoder;
import dev.caravan.providers.WireCalls;
import dev.caravan.stream.SseEvent;
import java.util.List;

/**
 * streamGenerateContent?alt=sse -> OpenAI chunks: each event is a whole GenerateContentResponse
 * holding the next piece of the candidate. Gemini sends a function call whole in one event, so
 * each becomes one tool_calls delta with its full arguments. The stream has no end marker: it
 * ends when the connection does, after the event with a finishReason. Every event carries the
 * usage so far; the framer keeps the last.
 */
public final class GeminiStreamDecoder implements StreamDecoder {

    private final String provider;
    private final boolean includeReasoning;
    private int tools;
    private boolean started;

    public GeminiStreamDecoder(String provider, boolean includeReasoning) {
        this.provider = provider;
        this.includeReasoning = includeReasoning;
    }

    @Override
    public List<ObjectNode> decode(SseEvent event) {
        JsonNode data = WireCalls.eventJson(provider, event);
        if (data.has("error")) {
            throw GeminiErrors.fromEvent(provider, data);
        }
        ObjectNode chunk = OpenAiShapes.chunk();
        ObjectNode delta = OpenAiShapes.delta(chunk);
        if (!started) {
            started = true;
            delta.put("role", "assistant");
        }
        JsonNode candidate = data.path("candidates").path(0);
        if (candidate.isMissingNode()) {
            String blocked = data.path("promptFeedback").path("blockReason").asText(null);
            if (blocked != null) {
                OpenAiShapes.finish(chunk, "content_filter", blocked);
            }
        } else {
            Parts parts = Parts.of(candidate, tools, true);
            tools += parts.calls().size();
            if (!parts.text().isEmpty() || delta.has("role")) {
                delta.put("content", parts.text());
            }
            if (includeReasoning && !parts.reasoning().isEmpty()) {
                delta.put("reasoning", parts.reasoning());
            }
            if (!parts.calls().isEmpty()) {
                delta.set("tool_calls", parts.calls());
            }
            String reason = candidate.path("finishReason").asText(null);
            if (reason != null) {
                OpenAiShapes.finish(chunk, GeminiResponses.finishReason(reason, tools > 0), reason);
            }
        }
        JsonNode usage = data.get("usageMetadata");
        if (usage != null && usage.isObject()) {
            chunk.set("usage", GeminiResponses.usage(usage));
        }
        return List.of(chunk);
    }
}

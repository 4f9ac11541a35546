package dev.caravan.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.providers.OpenAiShapes;

/**
 * Gemini GenerateContentResponse -> OpenAI chat.completion. Parts marked {@code thought} are
 * reasoning; functionCall parts are tool calls, and then the finish reason is tool_calls (Gemini
 * says STOP, kept as native_finish_reason). Usage: candidatesTokenCount leaves out the thinking
 * tokens, which OpenAI's completion_tokens include (reference §4a).
 */
public final class GeminiResponses {

    private GeminiResponses() {
    }

    public static ObjectNode toOpenAi(JsonNode response, boolean includeReasoning) {
        ObjectNode completion = Json.MAPPER.createObjectNode();
        ArrayNode choices = completion.putArray("choices");
        JsonNode candidates = response.path("candidates");
        for (int i = 0; i < candidates.size(); i++) {
            JsonNode candidate = candidates.get(i);
            ObjectNode message = OpenAiShapes.assistantMessage();
            Parts parts = Parts.of(candidate, 0);
            if (parts.text().isEmpty() && !parts.calls().isEmpty()) {
                message.putNull("content");
            } else {
                message.put("content", parts.text());
            }
            if (includeReasoning && !parts.reasoning().isEmpty()) {
                message.put("reasoning", parts.reasoning());
            }
            if (!parts.calls().isEmpty()) {
                message.set("tool_calls", parts.calls());
            }
            String reason = candidate.path("finishReason").asText(null);
            choices.addObject().put("index", candidate.path("index").asInt(i)).<ObjectNode>set("message", message)
                    .put("finish_reason", finishReason(reason, !parts.calls().isEmpty()))
                    .put("native_finish_reason", reason);
        }
        if (choices.isEmpty()) {
            blocked(response, choices);
        }
        JsonNode usage = response.get("usageMetadata");
        if (usage != null && usage.isObject()) {
            completion.set("usage", usage(usage));
        }
        return completion;
    }

    /** A prompt Gemini refused to answer has no candidates, only promptFeedback.blockReason. */
    private static void blocked(JsonNode response, ArrayNode choices) {
        String reason = response.path("promptFeedback").path("blockReason").asText("SAFETY");
        ObjectNode choice = choices.addObject().put("index", 0);
        choice.putObject("message").put("role", "assistant").putNull("content");
        choice.put("finish_reason", "content_filter").put("native_finish_reason", reason);
    }

    static String finishReason(String reason, boolean calledTools) {
        if (reason == null) {
            return null;
        }
        return calledTools && reason.equals("STOP") ? "tool_calls" : reason;
    }

    static ObjectNode usage(JsonNode usage) {
        long thoughts = usage.path("thoughtsTokenCount").asLong();
        long prompt = usage.path("promptTokenCount").asLong() + usage.path("toolUsePromptTokenCount").asLong();
        return OpenAiShapes.usage(prompt, usage.path("candidatesTokenCount").asLong() + thoughts,
                usage.path("cachedContentTokenCount").asLong(), 0, thoughts);
    }
}

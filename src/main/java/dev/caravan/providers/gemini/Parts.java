package dev.caravan.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.caravan.Json;
import dev.caravan.providers.OpenAiShapes;

/**
 * The parts of one Gemini candidate sorted into OpenAI's fields. Tool calls get ids Gemini may
 * not give ({@code call_<index>}); a client sends them back as tool_call_id, and the request
 * mapper finds the function name by them.
 *
 * @param firstToolIndex the OpenAI index of the first call here (a stream numbers calls across chunks)
 */
record Parts(String text, String reasoning, ArrayNode calls) {

    static Parts of(JsonNode candidate, int firstToolIndex) {
        return of(candidate, firstToolIndex, false);
    }

    static Parts of(JsonNode candidate, int firstToolIndex, boolean streamed) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = Json.MAPPER.createArrayNode();
        for (JsonNode part : candidate.path("content").path("parts")) {
            if (part.has("functionCall")) {
                JsonNode call = part.get("functionCall");
                int index = firstToolIndex + calls.size();
                String id = call.path("id").asText("call_" + index);
                OpenAiShapes.toolCall(calls, streamed ? index : null, id, call.path("name").asText(),
                        call.path("args").isMissingNode() ? "{}" : call.get("args").toString());
            } else if (part.path("thought").asBoolean(false)) {
                reasoning.append(part.path("text").asText(""));
            } else {
                text.append(part.path("text").asText(""));
            }
        }
        return new Parts(text.toString(), reasoning.toString(), calls);
    }
}

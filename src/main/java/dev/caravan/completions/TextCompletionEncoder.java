package dev.caravan.completions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.stream.ChunkEncoder;

/**
 * Writes Caravan's chat chunks as the legacy completions stream: {@code text_completion} chunks
 * with {@code choices[].text}, the usage chunk, the error chunk and {@code [DONE]} where the chat
 * stream has them. Chunks that carry no text and no finish reason (the role, reasoning) are left out.
 */
final class TextCompletionEncoder implements ChunkEncoder {

    private static final byte[] NOTHING = new byte[0];

    @Override
    public byte[] encode(ObjectNode chunk) {
        JsonNode choices = chunk.path("choices");
        if (!choices.isEmpty() && !chunk.has("error") && !carriesSomething(choices)) {
            return NOTHING;
        }
        return ChunkEncoder.OPENAI.encode(TextCompletionShapes.chunk(chunk));
    }

    @Override
    public byte[] done() {
        return ChunkEncoder.OPENAI.done();
    }

    private static boolean carriesSomething(JsonNode choices) {
        for (JsonNode choice : choices) {
            if (!choice.path("delta").path("content").asText("").isEmpty() || choice.path("finish_reason").isTextual()) {
                return true;
            }
        }
        return false;
    }
}

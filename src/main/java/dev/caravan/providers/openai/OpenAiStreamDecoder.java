package dev.caravan.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.providers.StreamDecoder;
import dev.caravan.providers.UpstreamException;
import dev.caravan.stream.SseEvent;
import java.util.List;

/** OpenAI's stream: one chat.completion.chunk per event, {@code [DONE]} at the end, an error object mid-stream. */
public final class OpenAiStreamDecoder implements StreamDecoder {

    private final String provider;

    public OpenAiStreamDecoder(String provider) {
        this.provider = provider;
    }

    @Override
    public List<ObjectNode> decode(SseEvent event) {
        String data = event.data();
        if (data.equals("[DONE]")) {
            return null;
        }
        JsonNode chunk;
        try {
            chunk = Json.MAPPER.readTree(data);
        } catch (Exception e) {
            throw UpstreamException.invalidResponse(provider, "a stream event that is not JSON");
        }
        if (!chunk.isObject()) {
            throw UpstreamException.invalidResponse(provider, "a stream event that is not a JSON object");
        }
        JsonNode error = chunk.get("error");
        if (error != null && !error.isNull()) {
            int code = error.path("code").canConvertToInt() ? error.path("code").asInt() : 502;
            throw UpstreamException.fromStatus(provider, code >= 400 && code < 600 ? code : 502,
                    data.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
        }
        return List.of((ObjectNode) chunk);
    }
}

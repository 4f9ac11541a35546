package dev.caravan.providers.gemini;

import dev.caravan.Json;
import dev.caravan.api.ChatCompletions;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.catalog.Provider;
import dev.caravan.providers.ChatOptions;
import dev.caravan.providers.UpstreamStreams;
import dev.caravan.providers.WireCalls;
import dev.caravan.routing.Attempt;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The wire-gemini route's beans: POST {base_url}/models/{model}:generateContent, or
 * :streamGenerateContent?alt=sse for streams, with the key in {@code x-goog-api-key} (never in
 * the URL, where it would reach access logs).
 */
@Component("geminiWire")
public class GeminiWire {

    private final UpstreamStreams streams;

    public GeminiWire(UpstreamStreams streams) {
        this.streams = streams;
    }

    public void prepareRequest(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        Provider provider = attempt.provider();
        String model = provider.baseUrl() + "/models/" + attempt.endpoint().upstreamModel();
        byte[] body = Json.MAPPER.writeValueAsBytes(GeminiRequests.toGemini(request.body(), attempt.endpoint()));
        WireCalls.prepare(exchange, model + ":generateContent", model + ":streamGenerateContent?alt=sse",
                request.stream(), body, keyHeader(provider));
    }

    public void readResponse(Exchange exchange) throws Exception {
        ChatCompletions.respond(exchange, GeminiResponses.toOpenAi(WireCalls.readJson(exchange, GeminiErrors.READER),
                !ChatOptions.of(exchange).excludeReasoning()));
    }

    public void openStream(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        streams.open(exchange, new GeminiStreamDecoder(attempt.provider().name(), !ChatOptions.of(exchange).excludeReasoning()),
                GeminiErrors.READER);
    }

    static Map<String, String> keyHeader(Provider provider) {
        return provider.key() == null ? Map.of() : Map.of("x-goog-api-key", provider.key().value());
    }
}

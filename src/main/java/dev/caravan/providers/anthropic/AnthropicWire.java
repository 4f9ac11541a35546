package dev.caravan.providers.anthropic;

import dev.caravan.Json;
import dev.caravan.api.ChatCompletions;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.catalog.Provider;
import dev.caravan.providers.ChatOptions;
import dev.caravan.providers.UpstreamErrors;
import dev.caravan.providers.UpstreamStreams;
import dev.caravan.providers.WireCalls;
import dev.caravan.routing.Attempt;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The wire-anthropic route's beans: POST {base_url}/messages with {@code x-api-key} and
 * {@code anthropic-version}; the translation itself is {@link AnthropicRequests},
 * {@link AnthropicResponses} and {@link AnthropicStreamDecoder}.
 */
@Component("anthropicWire")
public class AnthropicWire {

    /** The Messages API version every request declares; event and block shapes depend on it. */
    static final String VERSION = "2023-06-01";

    private final UpstreamStreams streams;

    public AnthropicWire(UpstreamStreams streams) {
        this.streams = streams;
    }

    public void prepareRequest(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        Provider provider = attempt.provider();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("anthropic-version", VERSION);
        if (provider.key() != null) {
            headers.put("x-api-key", provider.key().value());
        }
        String url = provider.baseUrl() + "/messages";
        byte[] body = Json.MAPPER.writeValueAsBytes(
                AnthropicRequests.toAnthropic(request.body(), attempt.endpoint(), request.stream()));
        WireCalls.prepare(exchange, url, url, request.stream(), body, headers);
    }

    public void readResponse(Exchange exchange) throws Exception {
        ChatCompletions.respond(exchange, AnthropicResponses.toOpenAi(
                WireCalls.readJson(exchange, UpstreamErrors.DEFAULT), !ChatOptions.of(exchange).excludeReasoning()));
    }

    public void openStream(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        streams.open(exchange, new AnthropicStreamDecoder(attempt.provider().name(), !ChatOptions.of(exchange).excludeReasoning()));
    }
}

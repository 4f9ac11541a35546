package dev.caravan.providers.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ChatCompletions;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.catalog.Provider;
import dev.caravan.providers.UpstreamErrors;
import dev.caravan.providers.UpstreamStreams;
import dev.caravan.providers.WireCalls;
import dev.caravan.routing.Attempt;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Translation for OpenAI-compatible upstreams, used by the wire-openai route: the request the
 * upstream gets, and the answer the client gets back. The HTTP call itself is the route's.
 */
@Component("openAiWire")
public class OpenAiWire {

    /** Fields that steer Caravan and mean nothing (or something else) to an upstream. */
    private static final List<String> CARAVAN_FIELDS = List.of("models", "provider", "route", "session_id",
            "transforms", "plugins", "usage", "reasoning");

    private final UpstreamStreams streams;

    public OpenAiWire(UpstreamStreams streams) {
        this.streams = streams;
    }

    /** Sets the upstream request as the message: body, headers, and the Camel HTTP URI for the JSON call. */
    public void prepareRequest(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        ChatRequest request = exchange.getProperty(ChatRequests.CHAT_REQUEST, ChatRequest.class);
        Provider provider = attempt.provider();
        ObjectNode body = request.body().deepCopy();
        body.remove(CARAVAN_FIELDS);
        body.put("model", attempt.endpoint().upstreamModel());
        if (body.path("user").isTextual()) {
            body.put("user", WireCalls.hashUser(body.get("user").asText()));
        }
        if (request.stream()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        Map<String, String> headers = provider.key() == null ? Map.of()
                : Map.of("Authorization", "Bearer " + provider.key().value());
        String url = provider.baseUrl() + "/chat/completions";
        WireCalls.prepare(exchange, url, url, request.stream(), Json.MAPPER.writeValueAsBytes(body), headers);
    }

    /** Reads the answer of the JSON call the route made. */
    public void readResponse(Exchange exchange) throws Exception {
        ChatCompletions.respond(exchange, WireCalls.readJson(exchange, UpstreamErrors.DEFAULT));
    }

    /** Opens the streaming call; the stream becomes the response body once its first event arrived. */
    public void openStream(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        streams.open(exchange, new OpenAiStreamDecoder(attempt.provider().name()));
    }
}

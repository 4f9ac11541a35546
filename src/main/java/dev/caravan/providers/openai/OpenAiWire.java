package dev.caravan.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ChatCompletions;
import dev.caravan.api.ChatRequest;
import dev.caravan.api.ChatRequests;
import dev.caravan.catalog.Provider;
import dev.caravan.providers.UpstreamException;
import dev.caravan.providers.UpstreamStreams;
import dev.caravan.routing.Attempt;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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

    public static final String UPSTREAM_URI = "upstreamUri";

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
            body.put("user", sha256(body.get("user").asText()));
        }
        if (request.stream()) {
            body.putObject("stream_options").put("include_usage", true);
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Accept", request.stream() ? "text/event-stream" : "application/json");
        if (provider.key() != null) {
            message.setHeader("Authorization", "Bearer " + provider.key().value());
        }
        message.setBody(Json.MAPPER.writeValueAsBytes(body));
        exchange.setProperty(UpstreamStreams.URL, provider.baseUrl() + "/chat/completions");
        exchange.setProperty(UPSTREAM_URI, provider.baseUrl() + "/chat/completions"
                + "?bridgeEndpoint=true&throwExceptionOnFailure=false"
                + "&connectTimeout=" + provider.timeouts().connectMs()
                // a JSON answer arrives whole, once generated: its first token is its last
                + "&responseTimeout=" + provider.timeouts().firstTokenMs()
                + "&soTimeout=" + provider.timeouts().firstTokenMs());
    }

    /** Reads the answer of the JSON call the route made. */
    public void readResponse(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body;
        try (InputStream in = message.getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readAllBytes();
        }
        if (status < 200 || status > 299) {
            throw UpstreamException.fromStatus(attempt.provider().name(), status, body,
                    UpstreamException.retryAfter(message.getHeader("Retry-After", String.class)));
        }
        JsonNode completion;
        try {
            completion = Json.MAPPER.readTree(body);
        } catch (Exception notJson) {
            completion = null;
        }
        if (completion == null || !completion.isObject()) {
            throw UpstreamException.invalidResponse(attempt.provider().name(), "a body that is not a JSON object");
        }
        ChatCompletions.respond(exchange, (ObjectNode) completion);
    }

    /** Opens the streaming call; the stream becomes the response body once its first event arrived. */
    public void openStream(Exchange exchange) throws Exception {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        streams.open(exchange, new OpenAiStreamDecoder(attempt.provider().name()));
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

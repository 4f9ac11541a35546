package dev.caravan.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.catalog.Provider;
import dev.caravan.metrics.RequestTimer;
import dev.caravan.routing.Attempt;
import dev.caravan.stream.SseEvent;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/**
 * The parts of an upstream call every wire route shares: the message the call sends (body,
 * headers, the Camel HTTP URI of a JSON call, the URL of a stream) and reading the JSON answer.
 * The wire beans supply only what differs: URL, auth headers, body and error reading.
 */
public final class WireCalls {

    /** Exchange property: the Camel HTTP URI of the JSON call ({@code toD} in the wire routes). */
    public static final String UPSTREAM_URI = "upstreamUri";

    private WireCalls() {
    }

    /** Sets the upstream request as the message; {@code streamUrl} may differ from the JSON call's URL. */
    public static void prepare(Exchange exchange, String jsonUrl, String streamUrl, boolean stream, byte[] body,
                               Map<String, String> headers) {
        Provider provider = exchange.getProperty(Attempt.PROPERTY, Attempt.class).provider();
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        // the enum itself: as the string "POST", camel-http converted it per call through a lookup
        // that scans every registered type converter (nearly a fifth of Caravan's CPU at 16 connections)
        message.setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Accept", stream ? "text/event-stream" : "application/json");
        headers.forEach(message::setHeader);
        message.setBody(body);
        exchange.setProperty(UpstreamStreams.URL, streamUrl);
        exchange.setProperty(UPSTREAM_URI, jsonUrl + (jsonUrl.contains("?") ? "&" : "?")
                + "bridgeEndpoint=true&throwExceptionOnFailure=false"
                + "&connectTimeout=" + provider.timeouts().connectMs()
                // a JSON answer arrives whole, once generated: its first token is its last
                + "&responseTimeout=" + provider.timeouts().firstTokenMs()
                + "&soTimeout=" + provider.timeouts().firstTokenMs());
        RequestTimer.upstreamCalled(exchange);
    }

    /** Reads the answer of the JSON call the route made: a JSON object, or the upstream's failure. */
    public static ObjectNode readJson(Exchange exchange, UpstreamErrors errors) throws Exception {
        String provider = exchange.getProperty(Attempt.PROPERTY, Attempt.class).provider().name();
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        byte[] body;
        try (InputStream in = message.getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readAllBytes();
        }
        RequestTimer.upstreamAnswered(exchange, status >= 200 && status <= 299);
        if (status < 200 || status > 299) {
            throw errors.fromStatus(provider, status, body,
                    UpstreamException.retryAfter(message.getHeader("Retry-After", String.class)));
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(body);
        } catch (Exception notJson) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            throw UpstreamException.invalidResponse(provider, "a body that is not a JSON object");
        }
        return (ObjectNode) answer;
    }

    /** The JSON of one stream event; an event that is not JSON is an invalid upstream response. */
    public static JsonNode eventJson(String provider, SseEvent event) {
        try {
            return Json.MAPPER.readTree(event.data());
        } catch (Exception e) {
            throw UpstreamException.invalidResponse(provider, "a stream event that is not JSON");
        }
    }

    /** The end-user id as upstreams get it: a SHA-256 hex digest, so no provider learns who the user is. */
    public static String hashUser(String user) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(user.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}

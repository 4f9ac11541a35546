package dev.caravan.triggers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import dev.caravan.api.ErrorEnvelope;
import dev.caravan.keys.KeyAuthenticator;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * The queue routes' step: the message body is a chat request, the key is in the
 * {@code CaravanApiKey} header (or {@code Authorization: Bearer ...}). The body becomes the
 * answer, JSON text (the error envelope on failure) for the reply to JMSReplyTo, and the
 * {@code CaravanStatus} header its HTTP status, which the route uses to copy failures to the
 * dead-letter queue. The key never leaves in a reply or a dead letter.
 */
@Component("queueTrigger")
public class QueueTrigger {

    public static final String API_KEY = "CaravanApiKey";
    public static final String STATUS = "CaravanStatus";
    /** The request, kept on a dead letter so that it can be sent again. */
    public static final String REQUEST = "CaravanRequest";

    private final ChatPipeline pipeline;

    public QueueTrigger(ChatPipeline pipeline) {
        this.pipeline = pipeline;
    }

    public void answer(Exchange exchange) {
        Message message = exchange.getMessage();
        String key = key(message);
        byte[] request = message.getBody(byte[].class);
        message.setHeader(REQUEST, request == null ? "" : new String(request, StandardCharsets.UTF_8));
        ChatPipeline.Answer answer;
        try {
            if (key == null || key.isBlank()) {
                // the pipeline's own message speaks of HTTP's Authorization header
                throw KeyAuthenticator.unauthorized("Missing API key: set it as the message property "
                        + API_KEY + " (or Authorization: Bearer <key>)");
            }
            answer = pipeline.call(unstreamed(request), key, passedOn(message));
        } catch (ApiException e) {
            answer = new ChatPipeline.Answer(e.status(), ErrorEnvelope.bytes(e), null);
        }
        message.setHeader(STATUS, answer.status());
        if (answer.generationId() != null) {
            message.setHeader("CaravanGenerationId", answer.generationId());
        }
        message.setBody(new String(answer.body(), StandardCharsets.UTF_8));
    }

    private static String key(Message message) {
        String key = message.getHeader(API_KEY, String.class);
        String authorization = message.getHeader("Authorization", String.class);
        message.removeHeader(API_KEY);
        message.removeHeader("Authorization");
        if (key == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7);
        }
        return key;
    }

    /** A body that is JSON gets stream forced off; anything else goes on as it is, for the pipeline to refuse. */
    private static byte[] unstreamed(byte[] request) {
        if (request == null) {
            return new byte[0];
        }
        try {
            JsonNode json = Json.readOneValue(request);
            if (json instanceof ObjectNode object && object.has("stream")) {
                return Json.MAPPER.writeValueAsBytes(ChatRequestBodies.unstreamed(object));
            }
        } catch (Exception e) {
            // not JSON: the pipeline answers it with its own 400
        }
        return request;
    }

    /** Headers the pipeline reads (X-Title, x-session-id, the simulator's X-Caravan-Sim-*); not the broker's own. */
    private static Map<String, Object> passedOn(Message message) {
        Map<String, Object> headers = new HashMap<>();
        message.getHeaders().forEach((name, value) -> {
            if (!name.startsWith("JMS") && !name.startsWith("Camel") && !name.equals(REQUEST)) {
                headers.put(name, value);
            }
        });
        return headers;
    }
}

package dev.caravan.triggers;

import dev.caravan.api.ApiException;
import dev.caravan.api.ErrorEnvelope;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

/**
 * Sends one chat request through {@code direct:chat-completions} on an exchange of its own and
 * returns the answer. A fresh exchange per request is what lets a trigger carry on after a
 * failure: the chat route answers failures itself (routes/errors.camel.yaml), and a route that
 * called it inline would stop there. The key travels as {@code Authorization: Bearer}, as over
 * HTTP; the authenticate step removes it from the message.
 */
@Component
public class ChatPipeline {

    public static final String ENDPOINT = "direct:chat-completions";

    private final CamelContext camel;
    private final ProducerTemplate producer;

    public ChatPipeline(CamelContext camel) {
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
    }

    /** The answer of one non-streaming request: its HTTP status, body (JSON) and generation id. */
    public record Answer(int status, byte[] body, String generationId) {

        public boolean ok() {
            return status == 200;
        }
    }

    public Answer call(byte[] request, String apiKey, Map<String, Object> headers) {
        Exchange exchange = new DefaultExchange(camel);
        Message in = exchange.getMessage();
        in.setHeaders(headers);
        if (apiKey != null && !apiKey.isBlank()) {
            in.setHeader("Authorization", "Bearer " + apiKey.trim());
        }
        in.setBody(request);
        producer.send(ENDPOINT, exchange);
        Message out = exchange.getMessage();
        if (exchange.getException() != null) {
            // the chat route handles every failure; this only guards against a route edited to stop doing so
            ApiException error = new ApiException(500, "internal_error", "Caravan failed to process the request");
            return new Answer(500, ErrorEnvelope.bytes(error), null);
        }
        return new Answer(out.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class), out.getBody(byte[].class),
                out.getHeader("X-Generation-Id", String.class));
    }
}

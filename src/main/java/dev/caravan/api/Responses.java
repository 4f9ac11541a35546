package dev.caravan.api;

import dev.caravan.metrics.RequestTimer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Sets what goes back to the client. platform-http echoes every message header as a response
 * header, so the request's headers (the caller's Authorization among them) are cleared first.
 */
public final class Responses {

    public static final String GENERATION_ID = "caravan.generationId";
    public static final String JSON = "application/json";
    /** Set by the auto router's rules: which one chose the models (answered as X-Caravan-Auto-Rule). */
    public static final String AUTO_RULE = "autoRule";

    private Responses() {
    }

    /**
     * A JSON answer, sent with its length in one write. (platform-http drops a Content-Length
     * header and sends a body chunked unless told otherwise: the body, then the closing chunk in a
     * second packet, and the client reads the answer only once that one arrives.)
     */
    public static void json(Exchange exchange, int status, byte[] body) {
        Message out = reset(exchange, status, JSON);
        out.setHeader(Exchange.HTTP_CHUNKED, false);
        out.setBody(body);
    }

    public static void eventStream(Exchange exchange, Object body) {
        Message out = reset(exchange, 200, "text/event-stream");
        out.setHeader("Cache-Control", "no-cache");
        out.setHeader("X-Accel-Buffering", "no");
        out.setBody(body);
    }

    private static Message reset(Exchange exchange, int status, String contentType) {
        Message out = exchange.getMessage();
        out.removeHeaders("*");
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, contentType);
        String generationId = exchange.getProperty(GENERATION_ID, String.class);
        if (generationId != null) {
            out.setHeader("X-Generation-Id", generationId);
        }
        RequestTimer timer = RequestTimer.of(exchange);
        if (timer != null) {
            out.setHeader(RequestTimer.HEADER, timer.overheadHeader());
        }
        String autoRule = exchange.getProperty(AUTO_RULE, String.class);
        if (autoRule != null) {
            out.setHeader("X-Caravan-Auto-Rule", autoRule);
        }
        return out;
    }
}

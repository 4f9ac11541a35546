package dev.caravan.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.metrics.RequestTimer;
import java.io.IOException;
import java.io.InputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import dev.caravan.stream.KeepAlive;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The first step of every inference request, whatever its trigger: give it a generation id, then
 * check its size and its JSON before anything is spent on it. (HTTP's content type is checked
 * earlier, by {@link RequestGate}.)
 */
@Component("chatRequests")
public class ChatRequests {

    public static final String CHAT_REQUEST = "chatRequest";
    public static final String STREAM = "stream";
    /**
     * The model the request names, for the routes' conditions: {@code ${exchangeProperty.chatRequest.model}}
     * reads the same, but through a bean-language call per evaluation (1.2% of Caravan's CPU).
     */
    public static final String REQUESTED_MODEL = "requestedModel";

    private final long maxBodyBytes;

    public ChatRequests(@Value("${caravan.max-request-size:10MB}") DataSize maxBodySize) {
        this.maxBodyBytes = maxBodySize.toBytes();
    }

    public void read(Exchange exchange) {
        String generationId = GenerationIds.next();
        exchange.setProperty(Responses.GENERATION_ID, generationId);
        if (exchange.getIn() instanceof PlatformHttpMessage http) {
            exchange.setProperty(KeepAlive.PROPERTY, new HttpKeepAlive(http.getResponse(), generationId,
                    RequestTimer.of(exchange)));
        }
        ObjectNode body = readJsonObject(exchange);
        ChatRequest request = ChatRequest.of(body);
        exchange.setProperty(CHAT_REQUEST, request);
        exchange.setProperty(STREAM, request.stream());
        exchange.setProperty(REQUESTED_MODEL, request.model());
    }

    /** The body as a JSON object, within the size limit; a 400 (or 408, 413) otherwise. */
    public ObjectNode readJsonObject(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode json;
        try (InputStream stream = in.getBody(InputStream.class)) {
            if (stream == null) {
                throw ApiException.invalidRequest("The request body is empty; expected a JSON object", null);
            }
            byte[] bytes = stream.readNBytes(bytesToRead(in, stream));
            if (bytes.length > maxBodyBytes) {
                throw tooLarge(maxBodyBytes);
            }
            json = Json.readOneValue(bytes);
        } catch (JacksonException e) {
            // a broken limit (nesting deeper than 1,000, a number of 1,000 digits) has no location
            JsonLocation at = e.getLocation();
            throw ApiException.invalidRequest("The request body is not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), null);
        } catch (IOException e) {
            throw new ApiException(408, "timeout", "The request body could not be read");
        }
        if (json == null || !json.isObject()) {
            throw ApiException.invalidRequest("The request body must be a JSON object", null);
        }
        return (ObjectNode) json;
    }

    /**
     * As many bytes as the HTTP request declares, which {@code readNBytes} reads into one array of
     * that size; else one past the limit, to tell a body over it, which it reads through 8 KB
     * buffers and a copy (7 KB more garbage for a 150-byte request). Declared only while the body
     * is still the request's own stream, which the web server ends at that length ({@link
     * RequestGate} has refused one over the limit): not once a route has replaced it (a legacy
     * completion or an Anthropic message becomes a chat request), nor a chunked body.
     */
    private int bytesToRead(Message in, InputStream body) throws IOException {
        long declared = in instanceof PlatformHttpMessage http && body == http.getRequest().getInputStream()
                ? http.getRequest().getContentLengthLong() : -1;
        return (int) Math.min(Integer.MAX_VALUE - 8, declared >= 0 && declared <= maxBodyBytes ? declared : maxBodyBytes + 1);
    }

    static ApiException tooLarge(long maxBodyBytes) {
        return new ApiException(413, "payload_too_large", "The request body is larger than " + maxBodyBytes + " bytes");
    }
}

package dev.caravan.api;

import dev.caravan.stream.ChatStreams;
import java.io.ByteArrayOutputStream;
import dev.caravan.stream.ChunkFramer;
import dev.caravan.stream.KeepAlive;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Turns whatever failed in a route into the error envelope (routes/errors.camel.yaml calls it).
 * Anything that is not an {@link ApiException} is a bug or an unforeseen failure: logged here in
 * full, answered with a masked 500.
 */
@Component("errorResponses")
public class ErrorResponses {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

    public void render(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ApiException error = toApiException(failure);
        KeepAlive keepAlive = exchange.getProperty(KeepAlive.PROPERTY, KeepAlive.NONE, KeepAlive.class);
        if (error instanceof ClientDisconnected) {
            exchange.getMessage().setBody(new byte[0]);
            return;
        }
        if (keepAlive.committed()) {
            // keep-alive comments already sent a 200 event stream: the failure ends the stream (reference §4)
            ChunkFramer framer = ChatStreams.framer(exchange);
            Responses.eventStream(exchange, concat(framer.errorChunk(error), framer.usageChunk(), ChunkFramer.DONE));
            return;
        }
        Responses.json(exchange, error.status(), ErrorEnvelope.bytes(error));
        error.headers().forEach(exchange.getMessage()::setHeader);
        if (error.retryAfterSeconds() != null) {
            exchange.getMessage().setHeader("Retry-After", error.retryAfterSeconds());
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static ApiException toApiException(Throwable failure) {
        Throwable cause = failure;
        while (cause != null) {
            if (cause instanceof ApiException api) {
                return api;
            }
            if (cause instanceof CallNotPermittedException) {
                return new ApiException(503, "provider_overloaded",
                        "Every provider for this model is unavailable right now (circuit open); retry shortly");
            }
            cause = cause.getCause();
        }
        log.error("Unexpected failure while serving a request", failure);
        return new ApiException(500, "internal_error", "Caravan failed to process the request");
    }
}

package dev.caravan.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.api.ChatRequest;
import dev.caravan.catalog.Endpoint;
import dev.caravan.catalog.Pricing;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;

/**
 * The most a request can cost on an endpoint (reference §4a): every prompt byte counted as a
 * token (a token is at least one byte), plus every completion token it may generate in each of
 * its {@code n} choices (the prompt is billed once), plus the per-request price. What is reserved
 * before the call.
 */
public final class MaxCost {

    private MaxCost() {
    }

    public static BigDecimal of(ChatRequest request, Endpoint endpoint) {
        Pricing pricing = endpoint.pricing();
        long promptBytes = jsonBytes(request.messages()) + jsonBytes(request.body().get("tools"));
        return pricing.prompt().max(pricing.cacheRead()).max(pricing.cacheWrite())
                .multiply(BigDecimal.valueOf(promptBytes))
                .add(pricing.completion().multiply(BigDecimal.valueOf(maxCompletionTokens(request, endpoint)))
                        .multiply(BigDecimal.valueOf(request.choices())))
                .add(pricing.request());
    }

    /** The completion tokens one choice may generate: max_tokens, within the endpoint's own limit. */
    public static long maxCompletionTokens(ChatRequest request, Endpoint endpoint) {
        long endpointMax = endpoint.maxCompletionTokens() > 0 ? endpoint.maxCompletionTokens() : endpoint.contextLength();
        return request.maxTokens() == null ? endpointMax : Math.min(request.maxTokens(), endpointMax);
    }

    private static long jsonBytes(JsonNode node) {
        if (node == null) {
            return 0;
        }
        Counter counter = new Counter();
        try {
            Json.MAPPER.writeValue(counter, node);
        } catch (IOException impossible) {
            throw new IllegalStateException(impossible);
        }
        return counter.bytes;
    }

    /** Counts what is written and keeps none of it. */
    private static final class Counter extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}

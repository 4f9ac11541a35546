package dev.caravan.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.providers.UpstreamErrors;
import dev.caravan.providers.UpstreamException;
import java.nio.charset.StandardCharsets;

/**
 * Gemini's error bodies say more than their status: a rejected API key is a 400 with reason
 * API_KEY_INVALID (the operator's key, so a 502 for the client, not a 400), and a rate limit
 * gives its wait as {@code RetryInfo.retryDelay} ("32s") in the body rather than a Retry-After.
 */
final class GeminiErrors {

    static final UpstreamErrors READER = GeminiErrors::fromStatus;

    private GeminiErrors() {
    }

    static UpstreamException fromStatus(String provider, int status, byte[] body, Long retryAfter) {
        JsonNode error;
        try {
            error = Json.MAPPER.readTree(body).path("error");
        } catch (Exception notJson) {
            error = Json.MAPPER.missingNode();
        }
        Long delay = retryAfter;
        for (JsonNode detail : error.path("details")) {
            if ("API_KEY_INVALID".equals(detail.path("reason").asText())) {
                status = 401;
            }
            String retryDelay = detail.path("retryDelay").asText("");
            if (delay == null && retryDelay.endsWith("s")) {
                delay = UpstreamException.retryAfter(retryDelay.substring(0, retryDelay.length() - 1));
            }
        }
        return UpstreamException.fromStatus(provider, status, body, delay);
    }

    /** An error object sent inside a 200 stream. */
    static UpstreamException fromEvent(String provider, JsonNode event) {
        int code = event.path("error").path("code").asInt(500);
        return fromStatus(provider, code >= 400 && code < 600 ? code : 500,
                event.toString().getBytes(StandardCharsets.UTF_8), null);
    }
}

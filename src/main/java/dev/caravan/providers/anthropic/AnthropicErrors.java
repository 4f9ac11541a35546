package dev.caravan.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.providers.UpstreamException;
import java.nio.charset.StandardCharsets;

/**
 * Anthropic's error {@code type}s as the HTTP statuses they come with, for the error events a
 * stream may carry after its 200: {@code overloaded_error} is Anthropic's 529, and so on.
 */
final class AnthropicErrors {

    private AnthropicErrors() {
    }

    static UpstreamException fromEvent(String provider, JsonNode event) {
        int status = switch (event.path("error").path("type").asText()) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
        return UpstreamException.fromStatus(provider, status, event.toString().getBytes(StandardCharsets.UTF_8), null);
    }
}

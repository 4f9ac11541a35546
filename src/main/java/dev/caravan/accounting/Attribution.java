package dev.caravan.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.keys.KeyMaterial;
import org.apache.camel.Message;

/**
 * Who a generation was for, as apps tell OpenRouter: the app's URL and title from the request's
 * headers, the end user (stored hashed, never as sent) and the session from its body.
 */
public record Attribution(String httpReferer, String appTitle, String externalUser, String sessionId) {

    public static Attribution of(Message request, JsonNode body) {
        String title = request.getHeader("X-OpenRouter-Title", String.class);
        if (title == null) {
            title = request.getHeader("X-Title", String.class);
        }
        String user = body.path("user").isTextual() ? KeyMaterial.hash(body.get("user").asText()) : null;
        String session = body.path("session_id").isTextual() ? body.get("session_id").asText()
                : request.getHeader("X-Session-Id", String.class);
        return new Attribution(cut(request.getHeader("HTTP-Referer", String.class), 1000), cut(title, 500), user,
                cut(session, 256));
    }

    /** At most {@code max} characters: what a client or a provider sends is stored as wide as its column. */
    static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}

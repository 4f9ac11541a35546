package dev.caravan.providers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.api.ApiException;
import java.util.Locale;

/** Reading OpenAI message content the same way for every native mapper. */
public final class ContentParts {

    /** An image given inline: its media type and base64 data. */
    public record InlineImage(String mediaType, String base64) {
    }

    private ContentParts() {
    }

    /** The image of a {@code data:<type>;base64,<data>} URL, or null for any other URL. */
    public static InlineImage dataUrl(String url) {
        if (!url.startsWith("data:")) {
            return null;
        }
        int comma = url.indexOf(',');
        int base64 = url.indexOf(";base64");
        if (comma < 0 || base64 < 0 || base64 > comma) {
            throw ApiException.invalidRequest("An image data URL must be base64: data:<type>;base64,<data>", "messages");
        }
        return new InlineImage(url.substring(5, base64), url.substring(comma + 1));
    }

    /** A media type for an image given by http URL, from its extension (upstreams want one). */
    public static String imageTypeOf(String url) {
        String path = url.toLowerCase(Locale.ROOT);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        if (path.endsWith(".png")) {
            return "image/png";
        }
        if (path.endsWith(".gif")) {
            return "image/gif";
        }
        return path.endsWith(".webp") ? "image/webp" : "image/jpeg";
    }

    /**
     * The text of a message, with its {@code name} as a "name: " prefix: neither Anthropic nor
     * Gemini has a speaker name, and the prefix keeps several speakers of one role apart.
     */
    public static String named(JsonNode message, String text) {
        JsonNode name = message.get("name");
        return name != null && name.isTextual() && !name.asText().isBlank() ? name.asText() + ": " + text : text;
    }

    /** The plain text of a content that is a string or an array of parts (non-text parts skipped). */
    public static String text(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    /** The arguments of an OpenAI tool call as the JSON object native APIs want. */
    public static JsonNode toolArguments(JsonNode call) {
        String json = call.path("function").path("arguments").asText("{}");
        try {
            JsonNode args = Json.MAPPER.readTree(json.isBlank() ? "{}" : json);
            return args.isObject() ? args : Json.MAPPER.createObjectNode();
        } catch (Exception e) {
            throw ApiException.invalidRequest("A tool call's 'arguments' is not a JSON object", "messages");
        }
    }

    public static ApiException unsupported(String provider, String partType) {
        return ApiException.invalidRequest(provider + " does not accept content parts of type '" + partType + "'",
                "messages");
    }
}

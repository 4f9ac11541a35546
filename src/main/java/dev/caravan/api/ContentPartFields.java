package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The parts of a message's content when it is an array: each an object of one of OpenAI's part
 * types, with the field its type names of the right shape. The OpenAI wire passes every type on;
 * the Anthropic and Gemini translators take text and image_url and refuse the rest by name.
 */
final class ContentPartFields {

    private static final List<String> TYPES = List.of("text", "image_url", "input_audio", "file", "refusal");
    private static final String PART = "an object with a 'type' (" + String.join(", ", TYPES) + ")";

    private ContentPartFields() {
    }

    /** The content of a message when it is an array of parts. */
    static void check(Fields message) {
        JsonNode content = message.value("content");
        if (content == null || !content.isArray()) {
            return;
        }
        for (Fields part : message.optObjects("content", PART)) {
            switch (part.requiredOneOf("type", TYPES)) {
                case "text" -> part.requiredString("text");
                case "image_url" -> {
                    Fields image = part.requiredFields("image_url", "an object with a 'url'");
                    image.requiredString("url");
                    image.optString("detail");
                }
                case "input_audio" -> {
                    Fields audio = part.requiredFields("input_audio", "an object with 'data' and 'format'");
                    audio.requiredString("data");
                    audio.requiredString("format");
                }
                case "file" -> {
                    Fields file = part.requiredFields("file", "an object");
                    file.optString("filename");
                    file.optString("file_data");
                    file.optString("file_id");
                }
                default -> part.requiredString("refusal");
            }
        }
    }
}

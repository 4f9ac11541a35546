package dev.caravan.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * JSON Schema -> the OpenAPI subset Gemini's responseSchema and function parameters accept.
 * Gemini refuses the whole request over one keyword it does not know ({@code additionalProperties},
 * {@code $schema}, {@code strict}), so only the keywords it documents are kept, and a type list
 * such as {@code ["string", "null"]} becomes {@code type: string, nullable: true}.
 */
final class GeminiSchemas {

    private static final Set<String> KEPT = Set.of("type", "format", "title", "description", "nullable", "enum",
            "items", "minItems", "maxItems", "properties", "required", "propertyOrdering", "anyOf", "minimum",
            "maximum", "minLength", "maxLength", "pattern", "minProperties", "maxProperties", "example");

    private GeminiSchemas() {
    }

    static JsonNode toGemini(JsonNode schema) {
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (!KEPT.contains(key)) {
                continue;
            }
            switch (key) {
                case "type" -> type(value, out);
                case "properties" -> {
                    ObjectNode properties = out.putObject("properties");
                    value.fields().forEachRemaining(p -> properties.set(p.getKey(), toGemini(p.getValue())));
                }
                case "items" -> out.set("items", toGemini(value));
                case "anyOf" -> {
                    ArrayNode any = out.putArray("anyOf");
                    value.forEach(v -> any.add(toGemini(v)));
                }
                default -> out.set(key, value);
            }
        }
        return out;
    }

    private static void type(JsonNode type, ObjectNode out) {
        if (!type.isArray()) {
            out.set("type", type);
            return;
        }
        for (JsonNode t : type) {
            if (t.asText().equals("null")) {
                out.put("nullable", true);
            } else {
                out.put("type", t.asText());
            }
        }
    }
}

package dev.caravan.providers.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import java.util.Iterator;
import java.util.List;

/**
 * A JSON value that fits a JSON Schema, made of the simulator's words: what a model would put in
 * a tool call's arguments or a structured answer. Deterministic, like the rest of the simulator.
 */
final class SchemaSample {

    private final Iterator<String> words;

    private SchemaSample(List<String> words) {
        this.words = words.stream().map(String::trim).toList().iterator();
    }

    static JsonNode of(JsonNode schema, List<String> words) {
        return new SchemaSample(words).sample(schema == null ? Json.MAPPER.createObjectNode() : schema);
    }

    private JsonNode sample(JsonNode schema) {
        if (schema.has("enum") && schema.get("enum").size() > 0) {
            return schema.get("enum").get(0);
        }
        JsonNode choices = schema.has("anyOf") ? schema.get("anyOf") : schema.get("oneOf");
        if (choices != null && choices.size() > 0) {
            return sample(choices.get(0));
        }
        String type = schema.path("type").isArray() ? schema.get("type").get(0).asText()
                : schema.path("type").asText(schema.has("properties") ? "object" : "string");
        return switch (type) {
            case "object" -> {
                ObjectNode object = Json.MAPPER.createObjectNode();
                schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(), sample(p.getValue())));
                yield object;
            }
            case "array" -> {
                ArrayNode array = Json.MAPPER.createArrayNode();
                array.add(sample(schema.path("items")));
                yield array;
            }
            case "integer" -> Json.MAPPER.getNodeFactory().numberNode(word().length() * 7);
            case "number" -> Json.MAPPER.getNodeFactory().numberNode(word().length() * 1.5);
            case "boolean" -> Json.MAPPER.getNodeFactory().booleanNode(word().length() % 2 == 0);
            case "null" -> Json.MAPPER.getNodeFactory().nullNode();
            default -> Json.MAPPER.getNodeFactory().textNode(word());
        };
    }

    private String word() {
        return words.hasNext() ? words.next() : "caravan";
    }
}

package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Type checks for the fields of a request object; a wrong type is a 400 naming the field by its
 * full path ({@code tools[0].function.name}), so a client finds it in a large request.
 */
final class Fields {

    private final ObjectNode body;
    private final String path;

    Fields(ObjectNode body) {
        this(body, "");
    }

    private Fields(ObjectNode body, String path) {
        this.body = body;
        this.path = path;
    }

    /** The fields of an item that must be an object (an element of an array, a nested object). */
    static Fields of(JsonNode item, String path, String expected) {
        if (item == null || !item.isObject()) {
            throw invalid(path, expected);
        }
        return new Fields((ObjectNode) item, path);
    }

    boolean optBoolean(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw wrong(name, "a boolean");
        }
        return value.asBoolean();
    }

    /** An integer from {@code min} to {@code max}, or null when absent. */
    Integer optInt(String name, int min, int max) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt() || value.asInt() < min || value.asInt() > max) {
            throw wrong(name, "an integer from " + min + " to " + max);
        }
        return value.asInt();
    }

    Integer optPositiveInt(String name) {
        return optInt(name, 1, Integer.MAX_VALUE);
    }

    /** A 64-bit integer, as OpenAI takes {@code seed}: clients send random or time-based ones. */
    void optLong(String name) {
        expect(name, false, value -> value.canConvertToExactIntegral() && value.canConvertToLong(),
                "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
    }

    void optNumber(String name, double min, double max) {
        JsonNode value = present(name);
        if (value != null && !isNumberBetween(value, min, max)) {
            throw wrong(name, "a number between " + fmt(min) + " and " + fmt(max));
        }
    }

    /** An object whose every value is a number from {@code min} to {@code max} ({@code logit_bias}). */
    void optNumbers(String name, double min, double max) {
        JsonNode value = present(name);
        if (value == null) {
            return;
        }
        String expected = "an object whose values are numbers between " + fmt(min) + " and " + fmt(max);
        if (!value.isObject()) {
            throw wrong(name, expected);
        }
        value.fields().forEachRemaining(entry -> {
            if (!isNumberBetween(entry.getValue(), min, max)) {
                throw wrong(name + "." + entry.getKey(), "a number between " + fmt(min) + " and " + fmt(max));
            }
        });
    }

    void optStringOrStrings(String name) {
        JsonNode value = present(name);
        if (value == null || value.isTextual()) {
            return;
        }
        if (!value.isArray()) {
            throw wrong(name, "a string or an array of strings");
        }
        value.forEach(item -> {
            if (!item.isTextual()) {
                throw wrong(name, "a string or an array of strings");
            }
        });
    }

    void optString(String name) {
        expect(name, false, JsonNode::isTextual, "a string");
    }

    void requiredString(String name) {
        expect(name, true, JsonNode::isTextual, "a string");
    }

    /** A name: a string with something in it (an empty tool name reaches no tool). */
    void requiredName(String name) {
        expect(name, true, value -> value.isTextual() && !value.asText().isBlank(), "a non-empty string");
    }

    /** One of {@code allowed}, or null when absent. */
    String optOneOf(String name, List<String> allowed) {
        JsonNode value = present(name);
        if (value != null && !(value.isTextual() && allowed.contains(value.asText()))) {
            throw wrong(name, oneOf(allowed));
        }
        return value == null ? null : value.asText();
    }

    String requiredOneOf(String name, List<String> allowed) {
        String value = optOneOf(name, allowed);
        if (value == null) {
            throw wrong(name, oneOf(allowed));
        }
        return value;
    }

    void optArray(String name) {
        expect(name, false, JsonNode::isArray, "an array");
    }

    void optObject(String name) {
        expect(name, false, JsonNode::isObject, "an object");
    }

    /** The items of an optional array that must all be objects, each with its path ({@code tools[2]}). */
    List<Fields> optObjects(String name, String expected) {
        JsonNode value = present(name);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw wrong(name, "an array whose items are each " + expected);
        }
        List<Fields> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(of(value.get(i), qualified(name) + "[" + i + "]", expected));
        }
        return items;
    }

    /** The value of a field, or null when absent or null: for a field of several shapes. */
    JsonNode value(String name) {
        return present(name);
    }

    /** The fields of a nested object, or null when absent. */
    Fields optFields(String name) {
        JsonNode value = present(name);
        return value == null ? null : of(value, qualified(name), "an object");
    }

    Fields requiredFields(String name, String expected) {
        return of(present(name), qualified(name), expected);
    }

    /** The full path of a field of this object, as the client should look for it. */
    String qualified(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The one check behind the simple ones: a value present (or required) must be {@code expected}. */
    private void expect(String name, boolean required, Predicate<JsonNode> ok, String expected) {
        JsonNode value = present(name);
        if (value == null ? required : !ok.test(value)) {
            throw wrong(name, expected);
        }
    }

    private JsonNode present(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private ApiException wrong(String name, String expected) {
        return invalid(qualified(name), expected);
    }

    private static ApiException invalid(String field, String expected) {
        return ApiException.invalidRequest("'" + field + "' must be " + expected, field);
    }

    private static boolean isNumberBetween(JsonNode value, double min, double max) {
        return value.isNumber() && value.asDouble() >= min && value.asDouble() <= max;
    }

    private static String oneOf(List<String> allowed) {
        return allowed.size() == 1 ? "\"" + allowed.get(0) + "\"" : "one of " + String.join(", ", allowed);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}

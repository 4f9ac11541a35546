package dev.caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Type checks for optional request fields; a wrong type is a 400 naming the field. */
final class Fields {

    private final ObjectNode body;

    Fields(ObjectNode body) {
        this.body = body;
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
        JsonNode value = present(name);
        if (value != null && (!value.canConvertToExactIntegral() || !value.canConvertToLong())) {
            throw wrong(name, "an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
        }
    }

    void optNumber(String name, double min, double max) {
        JsonNode value = present(name);
        if (value != null && (!value.isNumber() || value.asDouble() < min || value.asDouble() > max)) {
            throw wrong(name, "a number between " + fmt(min) + " and " + fmt(max));
        }
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

    void optArray(String name) {
        JsonNode value = present(name);
        if (value != null && !value.isArray()) {
            throw wrong(name, "an array");
        }
    }

    void optObject(String name) {
        JsonNode value = present(name);
        if (value != null && !value.isObject()) {
            throw wrong(name, "an object");
        }
    }

    private JsonNode present(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static ApiException wrong(String name, String expected) {
        return ApiException.invalidRequest("'" + name + "' must be " + expected, name);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}

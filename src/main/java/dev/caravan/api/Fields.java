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

    Integer optInt(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt()) {
            throw wrong(name, "an integer");
        }
        return value.asInt();
    }

    Integer optPositiveInt(String name) {
        Integer value = optInt(name);
        if (value != null && value < 1) {
            throw wrong(name, "an integer of at least 1");
        }
        return value;
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

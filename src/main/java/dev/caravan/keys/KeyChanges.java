package dev.caravan.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.accounting.LimitReset;
import dev.caravan.accounting.UsdAmounts;
import dev.caravan.api.ApiException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The fields a client may set on a key (create, PATCH), checked: {@code name}, {@code disabled},
 * {@code limit} (USD, null for none), {@code limit_reset}, {@code expires_at}, {@code rate_limit_rpm}.
 * A field absent from the body keeps its value; null clears it.
 */
record KeyChanges(ObjectNode body) {

    static KeyChanges of(ObjectNode body, boolean creating) {
        JsonNode name = body.get("name");
        if (creating && (name == null || !name.isTextual() || name.asText().isBlank())) {
            throw ApiException.invalidRequest("'name' is required: a name for the new key", "name");
        }
        return new KeyChanges(body);
    }

    ApiKey applyTo(ApiKey key, Instant updatedAt) {
        return new ApiKey(key.hash(), key.accountId(), key.label(), text("name", 200, key.name()), key.management(),
                bool("disabled", key.disabled()), instant("expires_at", key.expiresAt()), limit(key.limit()),
                limitReset(key.limitReset()), rpm(key.rateLimitRpm()), key.createdAt(), updatedAt);
    }

    private String text(String field, int max, String current) {
        JsonNode node = body.get(field);
        if (node == null) {
            return current;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > max) {
            throw ApiException.invalidRequest("'" + field + "' must be a non-empty string of at most " + max
                    + " characters", field);
        }
        return node.asText();
    }

    private boolean bool(String field, boolean current) {
        JsonNode node = body.get(field);
        if (node == null) {
            return current;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalidRequest("'" + field + "' must be true or false", field);
        }
        return node.asBoolean();
    }

    private BigDecimal limit(BigDecimal current) {
        JsonNode node = body.get("limit");
        if (node == null) {
            return current;
        }
        if (node.isNull()) {
            return null;
        }
        if (!node.isNumber() || node.decimalValue().signum() < 0 || !UsdAmounts.fitsTheLedger(node.decimalValue())) {
            throw ApiException.invalidRequest("'limit' must be a number of USD from 0, " + UsdAmounts.RULE
                    + ", or null", "limit");
        }
        return node.decimalValue();
    }

    private String limitReset(String current) {
        JsonNode node = body.get("limit_reset");
        if (node == null) {
            return current;
        }
        if (node.isNull()) {
            return null;
        }
        LimitReset reset = node.isTextual() ? LimitReset.parse(node.asText()) : null;
        if (reset == null) {
            throw ApiException.invalidRequest("'limit_reset' must be daily, weekly, monthly or null", "limit_reset");
        }
        return reset.wire();
    }

    private Instant instant(String field, Instant current) {
        JsonNode node = body.get(field);
        if (node == null) {
            return current;
        }
        if (node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest("'" + field + "' must be an ISO-8601 instant such as "
                    + "2030-01-01T00:00:00Z, or null", field);
        }
    }

    private Integer rpm(Integer current) {
        JsonNode node = body.get("rate_limit_rpm");
        if (node == null) {
            return current;
        }
        if (node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw ApiException.invalidRequest("'rate_limit_rpm' must be a whole number of requests per minute, "
                    + "0 for unlimited, or null for the default", "rate_limit_rpm");
        }
        return node.asInt();
    }
}

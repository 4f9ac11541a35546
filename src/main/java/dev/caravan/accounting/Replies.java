package dev.caravan.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import dev.caravan.Json;
import dev.caravan.api.Responses;
import java.math.BigDecimal;
import org.apache.camel.Exchange;

/** Shared by the management and account APIs: a JSON answer, and money read from SQL shown plainly. */
public final class Replies {

    private Replies() {
    }

    public static void json(Exchange exchange, int status, JsonNode answer) {
        try {
            Responses.json(exchange, status, Json.MAPPER.writeValueAsBytes(answer));
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** NUMERIC(30, 12) to a plain decimal without its trailing zeros: 0.0067, not 0.006700000000. */
    public static BigDecimal money(Object value) {
        return value == null ? BigDecimal.ZERO : new BigDecimal(value.toString()).stripTrailingZeros();
    }
}

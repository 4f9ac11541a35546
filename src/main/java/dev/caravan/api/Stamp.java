package dev.caravan.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.routing.Attempt;
import org.apache.camel.Exchange;

/**
 * What Caravan writes over every upstream answer, whole or chunk: its own generation id, the
 * model the client asked for (not the upstream's name for it) and the provider that served it.
 */
public record Stamp(String generationId, String model, String provider, long created) {

    public static Stamp of(Exchange exchange) {
        Attempt attempt = exchange.getProperty(Attempt.PROPERTY, Attempt.class);
        return new Stamp(exchange.getProperty(Responses.GENERATION_ID, String.class), attempt.model().id(),
                attempt.provider().name(), System.currentTimeMillis() / 1000);
    }

    public ObjectNode apply(ObjectNode node, String object) {
        node.put("id", generationId);
        node.put("object", object);
        if (!node.path("created").canConvertToLong()) {
            node.put("created", created);
        }
        node.put("model", model);
        node.put("provider", provider);
        return node;
    }

    /** Sets {@code finish_reason} to one of OpenAI's values and keeps the upstream's in {@code native_finish_reason}. */
    public static String normalizeFinishReason(ObjectNode choice) {
        String raw = choice.path("finish_reason").isTextual() ? choice.get("finish_reason").asText() : null;
        if (!choice.has("native_finish_reason")) {
            choice.put("native_finish_reason", raw);
        }
        choice.put("finish_reason", FinishReasons.normalize(raw));
        return raw;
    }
}

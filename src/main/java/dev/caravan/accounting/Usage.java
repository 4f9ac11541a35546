package dev.caravan.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.catalog.Pricing;
import java.math.BigDecimal;

/**
 * Tokens of one generation in OpenAI's convention: prompt tokens include cached and cache-write
 * tokens, completion tokens include reasoning tokens (reference §4a). {@code estimated} marks
 * counts Caravan made itself because the upstream reported none.
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                    long reasoningTokens, boolean estimated) {

    /** Exchange property holding the usage of a finished JSON answer. */
    public static final String PROPERTY = "usage";

    /** Reads an OpenAI {@code usage} object; null when the upstream sent none. */
    public static Usage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject() || !usage.has("prompt_tokens")) {
            return null;
        }
        return new Usage(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong(),
                usage.path("prompt_tokens_details").path("cached_tokens").asLong(),
                usage.path("prompt_tokens_details").path("cache_write_tokens").asLong(),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(), false);
    }

    public static Usage estimated(long promptTokens, long completionTokens) {
        return new Usage(promptTokens, completionTokens, 0, 0, 0, true);
    }

    /**
     * Exact cost in USD. A generation that produced nothing because it failed (zero completion
     * tokens and an error or no finish reason) costs nothing.
     */
    public BigDecimal cost(Pricing pricing, boolean failedEmpty) {
        if (failedEmpty && completionTokens == 0) {
            return BigDecimal.ZERO;
        }
        long uncached = Math.max(0, promptTokens - cachedTokens - cacheWriteTokens);
        return pricing.prompt().multiply(BigDecimal.valueOf(uncached))
                .add(pricing.cacheRead().multiply(BigDecimal.valueOf(cachedTokens)))
                .add(pricing.cacheWrite().multiply(BigDecimal.valueOf(cacheWriteTokens)))
                .add(pricing.completion().multiply(BigDecimal.valueOf(completionTokens)))
                .add(pricing.request())
                .stripTrailingZeros();
    }

    public ObjectNode toJson(BigDecimal cost) {
        ObjectNode node = Json.MAPPER.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        node.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
        node.putObject("completion_tokens_details").put("reasoning_tokens", reasoningTokens);
        node.put("cost", cost.signum() == 0 ? BigDecimal.ZERO : cost);
        return node;
    }
}

package dev.caravan.accounting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.caravan.Json;
import dev.caravan.catalog.Pricing;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Tokens of one generation in OpenAI's convention: prompt tokens include cached and cache-write
 * tokens, completion tokens include reasoning tokens (reference §4a). {@code estimated} marks
 * counts Caravan made itself because the upstream reported none.
 */
public record Usage(long promptTokens, long completionTokens, long cachedTokens, long cacheWriteTokens,
                    long reasoningTokens, boolean estimated) {

    /** Exchange property holding the usage of a finished JSON answer. */
    public static final String PROPERTY = "usage";

    /**
     * Reads an OpenAI {@code usage} object; null when the upstream sent none, or a count Caravan
     * cannot charge for (negative, fractional, not a number, past 2^31): the generation is then
     * counted by Caravan, as when no usage came. Taken as sent, a negative count made a negative
     * cost, which the ledger would have credited back to the account.
     */
    public static Usage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject() || !usage.has("prompt_tokens")) {
            return null;
        }
        long[] counts = {count(usage.path("prompt_tokens")), count(usage.path("completion_tokens")),
                count(usage.path("prompt_tokens_details").path("cached_tokens")),
                count(usage.path("prompt_tokens_details").path("cache_write_tokens")),
                count(usage.path("completion_tokens_details").path("reasoning_tokens"))};
        for (long count : counts) {
            if (count < 0) {
                return null;
            }
        }
        return new Usage(counts[0], counts[1], counts[2], counts[3], counts[4], false);
    }

    /** A reported token count: 0 when absent, -1 when it is not a whole number from 0 to 2^31 - 1. */
    private static long count(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return 0;
        }
        return node.isNumber() && node.canConvertToExactIntegral() && node.canConvertToInt() && node.intValue() >= 0
                ? node.intValue() : -1;
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
                // to the ledger's decimal places, as the database rounds what it stores: the answer's
                // cost is what is charged, even for a catalog price finer than the ledger keeps
                .setScale(UsdAmounts.DECIMAL_PLACES, RoundingMode.HALF_UP)
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

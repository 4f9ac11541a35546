package dev.caravan.catalog;

import java.math.BigDecimal;

/** USD per token (per request, per image); cache prices fall back to the prompt price when absent. */
public record Pricing(BigDecimal prompt, BigDecimal completion, BigDecimal request, BigDecimal image,
                      BigDecimal inputCacheRead, BigDecimal inputCacheWrite) {

    public BigDecimal cacheRead() {
        return inputCacheRead != null ? inputCacheRead : prompt;
    }

    public BigDecimal cacheWrite() {
        return inputCacheWrite != null ? inputCacheWrite : prompt;
    }

    public boolean isFree() {
        return prompt.signum() == 0 && completion.signum() == 0 && request.signum() == 0;
    }
}
